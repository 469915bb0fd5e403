package io.vnettracer.session;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.PacketKeyLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.collections.Long2LongHashMap;

/**
 * Marks TCP retransmissions at the sending socket: a segment that starts before the end of what
 * its socket already sent (as the socket send probe saw it) carries data sent before, in whole or
 * in part, and gets {@link EventLayout#FLAG_RETRANSMIT}. Socket send probes put the socket cookie in
 * {@link EventLayout#EXTRA}; no other packet event has one.
 *
 * <p>A TCP keepalive probe (one byte below what was sent) counts as a retransmission too: it is
 * one, of a byte. Runs on the drain thread; allocation-free but for the map's growth.
 */
final class TcpRetransmitMarker {
    private static final long NONE = Long.MIN_VALUE;
    private static final int SYN = 0x02;
    /**
     * Sockets remembered (16 bytes each); past it every socket is forgotten at once (counted): a
     * retransmission of a segment sent before then is not flagged. Bounds the memory a host's
     * churn of connections can take.
     */
    static final int MAX_SOCKETS = 1 << 20;

    /** (probe, socket) → the sequence number after the highest byte sent, as an int in a long. */
    private final Long2LongHashMap sentUpTo = new Long2LongHashMap(NONE);
    private final MemorySegment marked = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private final EventView view = new EventView();
    private volatile long retransmissions;
    private volatile long forgets;

    /** The event to pass on: {@code event} itself, or a copy flagged as a retransmission. */
    EventView mark(EventView event) {
        if (event.kind() != EventKind.PACKET || event.extra() == 0 || event.protocol() != PacketKeyLayout.IPPROTO_TCP) {
            return event;
        }
        int payload = event.tcpPayloadLength();
        if (payload <= 0) {
            return event;
        }
        int start = event.tcpSeq() + ((event.tcpFlags() & SYN) != 0 ? 1 : 0);
        int end = start + payload;
        long socket = ((long) event.probeId() << 48) ^ event.extra();
        long sent = sentUpTo.get(socket);
        if (sent == NONE && sentUpTo.size() >= MAX_SOCKETS) {
            sentUpTo.clear();
            forgets++;
        }
        if (sent == NONE || (int) sent - end < 0) {
            sentUpTo.put(socket, end);
        }
        if (sent == NONE || start - (int) sent >= 0) {
            return event;
        }
        retransmissions++;
        event.copyTo(marked, 0);
        marked.set(ValueLayout.JAVA_BYTE, EventLayout.FLAGS, (byte) (event.flags() | EventLayout.FLAG_RETRANSMIT));
        return view.wrap(marked, 0);
    }

    long retransmissions() {
        return retransmissions;
    }

    /** Times the remembered sockets were forgotten for {@link #MAX_SOCKETS}. */
    long forgets() {
        return forgets;
    }
}
