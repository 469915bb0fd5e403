package io.vnettracer.session;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;

/**
 * Routes socket receive events, which only TCP writes, to the {@link TcpStreamPairer} (it pairs
 * arrivals with reads by sequence range); every other event passes on through the
 * {@link TcpRetransmitMarker}. UDP reads need nothing here: the probe pairs each read with its
 * datagram in the kernel and writes one packet event (probe module, UdpReadPairing); its counters
 * are the probe maps' ({@link TraceSession#socketPairing()}).
 *
 * <p>Runs on the drain thread only.
 */
final class SocketReadPairer implements EventConsumer {
    /**
     * A socket without an arrival or a read for this long (event time) is forgotten, with what it
     * held undelivered (given up, counted): sockets come and go, the tracer's memory must not grow
     * with every one it ever saw.
     */
    static final long SOCKET_IDLE_NANOS = 60_000_000_000L;
    /** Sockets kept at once; past it those idle for a journey timeout (2 s) are forgotten at once. */
    static final int MAX_SOCKETS = 1 << 16;
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final EventConsumer next;
    private final TcpStreamPairer tcp;
    private final TcpRetransmitMarker retransmits = new TcpRetransmitMarker();
    private long newest = Long.MIN_VALUE;
    private long nextSweep = Long.MIN_VALUE;

    SocketReadPairer(EventConsumer next) {
        this.next = next;
        this.tcp = new TcpStreamPairer(next);
    }

    @Override
    public void onEvent(EventView event) {
        EventKind kind = event.kind();
        if (kind == EventKind.SOCKET_QUEUED) {
            forgetIdleSockets(event.timestamp());
            tcp.onQueued(event);
        } else if (kind == EventKind.SOCKET_READ) {
            forgetIdleSockets(event.timestamp());
            tcp.onRead(event);
        } else {
            next.onEvent(retransmits.mark(event));
        }
    }

    /** Once a second of event time: forgets TCP streams idle for {@link #SOCKET_IDLE_NANOS}. */
    private void forgetIdleSockets(long now) {
        if (now > newest) newest = now;
        if (newest < nextSweep) return;
        nextSweep = newest + SWEEP_EVERY_NANOS;
        tcp.forgetIdle(newest);
    }

    @Override
    public void afterDrain(int events) {
        next.afterDrain(events);
    }

    TcpStreamPairer tcp() { return tcp; }
    TcpRetransmitMarker retransmits() { return retransmits; }
}
