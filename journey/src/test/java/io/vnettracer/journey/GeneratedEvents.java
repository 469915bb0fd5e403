package io.vnettracer.journey;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.PacketKeyLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Test events: described as values, written with {@link EventWriter} the way probes write them, fed one by one. */
final class GeneratedEvents {
    /** A 5-tuple to write into events. */
    record Flow(boolean v6, int protocol, long srcHigh, long srcLow, int srcPort, long dstHigh, long dstLow, int dstPort) {
        static Flow udp4(int src, int srcPort, int dst, int dstPort) {
            return new Flow(false, PacketKeyLayout.IPPROTO_UDP, src, 0, srcPort, dst, 0, dstPort);
        }

        static Flow tcp4(int src, int srcPort, int dst, int dstPort) {
            return new Flow(false, PacketKeyLayout.IPPROTO_TCP, src, 0, srcPort, dst, 0, dstPort);
        }

        static Flow udp6(long srcHigh, long srcLow, int srcPort, long dstHigh, long dstLow, int dstPort) {
            return new Flow(true, PacketKeyLayout.IPPROTO_UDP, srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort);
        }

        void writeInto(EventWriter w) {
            if (v6) w.ipv6(srcHigh, srcLow, dstHigh, dstLow, protocol, srcPort, dstPort);
            else w.ipv4((int) srcHigh, (int) dstHigh, protocol, srcPort, dstPort);
        }
    }

    /**
     * One event. {@code packetNumber} makes the fingerprint: it goes into the IP ID and the payload
     * prefix, as a sender's counter would. {@code headersLength}: IP and TCP headers of a TCP
     * segment, 0 when not known (then the payload is not known either).
     */
    record Ev(EventKind kind, int probeId, long ts, long tag, int flags, long extra, Flow flow, int packetNumber, int ipLength,
              int headersLength) {
        /** IPv4 and TCP headers without options. */
        static final int TCP_HEADERS = 40;

        static Ev packet(int probeId, long ts, Flow flow, int packetNumber, long tag, int flags, int ipLength) {
            return new Ev(EventKind.PACKET, probeId, ts, tag, flags, 0, flow, packetNumber, ipLength, 0);
        }

        /** A TCP segment carrying {@code payload} bytes (0: SYN, pure ACK, FIN), untagged. */
        static Ev segment(int probeId, long ts, Flow flow, int packetNumber, int flags, int payload) {
            return new Ev(EventKind.PACKET, probeId, ts, 0, flags, 0, flow, packetNumber, TCP_HEADERS + payload, TCP_HEADERS);
        }

        static Ev drop(int probeId, long ts, Flow flow, int packetNumber, long tag, int reason) {
            return new Ev(EventKind.DROP, probeId, ts, tag, 0, reason, flow, packetNumber, 0, 0);
        }

        void writeInto(EventWriter w) {
            w.kind(kind).probeId(probeId).timestamp(ts).tag(tag).flags(flags).extra(extra).skbLength(ipLength + 14)
                    .ipLength(ipLength).headersLength(headersLength).ipId(flow.v6() ? 0 : packetNumber & 0xffff).l4Data(0x5EED_0000_0000_0000L | packetNumber);
            flow.writeInto(w);
        }
    }

    private final MemorySegment scratch = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private final EventWriter writer = new EventWriter();
    private final EventView view = new EventView();

    void feed(JourneyJoiner joiner, List<Ev> events) {
        for (Ev e : events) feed(joiner, e);
    }

    void feed(JourneyJoiner joiner, Ev e) {
        e.writeInto(writer.wrap(scratch, 0));
        joiner.onEvent(view.wrap(scratch, 0));
    }

    /** A tag that differs per packet and is never 0. */
    static long tagOf(int packetNumber) {
        return (packetNumber * 0x9E3779B1L & 0xFFFF_FFFFL) | 1;
    }
}
