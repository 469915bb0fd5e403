package io.vnettracer.bench;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.sinks.events.EventFileWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A saved trace as {@code vnettracer trace --events} would write it for UDP flows over a six-probe
 * path: every packet sighted at each probe in turn with per-hop delays and jitter, a share of the
 * packets lost after a random probe (half of them reported by a drop probe with a reason), packets
 * of many flows interleaved, and each packet's events written together, so that the file is in
 * arrival order per packet but not globally sorted by time, as a drained ring is.
 *
 * <p>Identity is the fingerprint (no tags): every packet has its flow's next IP ID and sequence
 * number in its first payload bytes, so fingerprints are distinct within a flow.
 */
final class SyntheticTrace {
    static final String[] PATH = {"app_tx", "a_out", "br_in", "br_out", "b_in", "app_rx"};
    static final int DROP_PROBE_ID = PATH.length;
    /** The delay into each probe from the previous one, ns: socket to device, bridge, queueing, delivery. */
    private static final long[] HOP_DELAY_NS = {0, 4_000, 2_000, 15_000, 3_000, 20_000};
    private static final int DROP_REASON = 2; // SKB_DROP_REASON_NOT_SPECIFIED
    private static final long START_NS = 1_000_000_000_000L;
    private static final int PAYLOAD_IP_LENGTH = 92; // IPv4 + UDP + 64 payload bytes

    final long events;
    final int flows;
    final long packetsPerSecond;
    final double lossRate;
    long packets;
    long lostPackets;
    long dropEvents;

    SyntheticTrace(long events, int flows, long packetsPerSecond, double lossRate) {
        this.events = events;
        this.flows = flows;
        this.packetsPerSecond = packetsPerSecond;
        this.lossRate = lossRate;
    }

    /** The catalog a trace of these probes builds: path probes by script order, then the drop probe. */
    static ProbeCatalog catalog() {
        ProbeCatalog catalog = new ProbeCatalog();
        for (int id = 0; id < PATH.length; id++) {
            catalog.probe(id, PATH[id], "synthetic:" + PATH[id]);
        }
        return catalog.dropProbe(DROP_PROBE_ID, "drops", "drops:b");
    }

    /** Writes exactly {@link #events} events to {@code file}; returns the trace time they span, ns. */
    long writeTo(Path file) {
        SplittableRandom random = new SplittableRandom(42);
        int[] ipId = new int[flows];
        long[] sequence = new long[flows];
        long gap = 1_000_000_000L / packetsPerSecond;
        long written = 0;
        long sendTime = START_NS;
        long lastTime = START_NS;
        try (Arena arena = Arena.ofConfined(); EventFileWriter out = new EventFileWriter(file)) {
            MemorySegment scratch = arena.allocate(EventLayout.SIZE);
            EventWriter writer = new EventWriter();
            EventView view = new EventView();
            while (written < events) {
                int flow = random.nextInt(flows);
                int id = ipId[flow] = (ipId[flow] + 1) & 0xffff;
                long seq = ++sequence[flow];
                // Lost packets stop after a random probe before the last one.
                int lastHop = random.nextDouble() < lossRate ? random.nextInt(PATH.length - 1) : PATH.length - 1;
                long t = sendTime + random.nextLong(gap); // not evenly spaced
                for (int hop = 0; hop <= lastHop && written < events; hop++) {
                    t += HOP_DELAY_NS[hop] + (hop == 0 ? 0 : random.nextLong(HOP_DELAY_NS[hop] / 4 + 1));
                    packet(writer.wrap(scratch, 0), flow, id, seq).kind(EventKind.PACKET).probeId(hop).timestamp(t);
                    out.write(view.wrap(scratch, 0));
                    written++;
                    lastTime = Math.max(lastTime, t);
                }
                if (lastHop < PATH.length - 1) {
                    lostPackets++;
                    if (random.nextBoolean() && written < events) {
                        packet(writer.wrap(scratch, 0), flow, id, seq).kind(EventKind.DROP).probeId(DROP_PROBE_ID)
                                .timestamp(t + 1_000).extra(DROP_REASON);
                        out.write(view.wrap(scratch, 0));
                        written++;
                        dropEvents++;
                    }
                }
                packets++;
                sendTime += gap;
            }
        }
        return lastTime - START_NS;
    }

    private static EventWriter packet(EventWriter w, int flow, int ipId, long seq) {
        int src = 10 << 24 | 1 << 16 | flow; // 10.1.x.y
        int dst = 10 << 24 | 2 << 16 | flow;
        return w.idMode(IdMode.FINGERPRINT).cpu(flow & 1)
                .ipv4(src, dst, PacketKeyLayout.IPPROTO_UDP, 20_000 + flow % 1000, 4000)
                .ipId(ipId).ipLength(PAYLOAD_IP_LENGTH).skbLength(PAYLOAD_IP_LENGTH + 14).l4Data(seq);
    }
}
