package io.vnettracer.session;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.PacketKeyLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Routes socket receive events: TCP's to the {@link TcpStreamPairer}, which pairs by sequence
 * range; UDP's as below. Packet events pass through the {@link TcpRetransmitMarker}.
 *
 * <p>Turns UDP socket receive events into packet events at the time the application read them. A
 * datagram's identity is only visible when it joins its socket's queue ({@link
 * EventKind#SOCKET_QUEUED}); the read ({@link EventKind#SOCKET_READ}) names only the socket. A
 * socket's queue is first in, first out, so the n-th read of a socket takes the n-th datagram
 * queued on it: this class keeps each socket's queued events in order and, on a read, passes the
 * oldest on as a {@link EventKind#PACKET} stamped with the read's time.
 *
 * <p>Counted, never hidden: reads with nothing queued (datagrams queued before tracing began),
 * datagrams still queued at the end (never read, or dropped after joining the queue), queued
 * datagrams the filter rejected (paired and then dropped silently, by design).
 *
 * <p>Runs on the drain thread only. Allocates only when it meets a new socket or a socket's queue
 * outgrows its buffer.
 */
final class SocketReadPairer implements EventConsumer {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Small: a host may have many sockets with a datagram or two queued at a time. */
    private static final int INITIAL_SLOTS = 4;
    /** Beyond this many unread datagrams on one socket the oldest are given up (and counted). */
    private static final int MAX_SLOTS = 1 << 16;
    /**
     * A socket without a queued datagram or a read for this long (event time) is forgotten, with
     * what it held unread (given up, counted): sockets come and go, the tracer's memory must not
     * grow with every one it ever saw.
     */
    static final long SOCKET_IDLE_NANOS = 60_000_000_000L;
    /** Sockets kept at once; past it those idle for a journey timeout (2 s) are forgotten at once. */
    static final int MAX_SOCKETS = 1 << 16;
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;
    private static final long BUSY_IDLE_NANOS = 2_000_000_000L;

    private final EventConsumer next;
    private final TcpStreamPairer tcp;
    private final TcpRetransmitMarker retransmits = new TcpRetransmitMarker();
    private final Long2ObjectHashMap<SocketQueue> queues = new Long2ObjectHashMap<>();
    private final MemorySegment paired = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private final EventView view = new EventView();
    private final EventView probe = new EventView();

    private volatile long pairedReads;
    private volatile long unpairedReads;
    private volatile long filteredOut;
    private volatile long overflowed;
    private volatile long refused;
    private volatile long unmatchedRefusals;
    private volatile long forgottenSockets;
    private long newest = Long.MIN_VALUE;
    private long nextSweep = Long.MIN_VALUE;

    SocketReadPairer(EventConsumer next) {
        this.next = next;
        this.tcp = new TcpStreamPairer(next);
    }

    @Override
    public void onEvent(EventView event) {
        EventKind kind = event.kind();
        if (kind == EventKind.SOCKET_QUEUED || kind == EventKind.SOCKET_READ) forgetIdleSockets(event.timestamp());
        if ((kind == EventKind.SOCKET_QUEUED || kind == EventKind.SOCKET_READ) && event.protocol() == PacketKeyLayout.IPPROTO_TCP) {
            if (kind == EventKind.SOCKET_QUEUED) {
                tcp.onQueued(event);
            } else {
                tcp.onRead(event);
            }
        } else if (kind == EventKind.SOCKET_QUEUED) {
            queue(event.extra()).push(event);
        } else if (kind == EventKind.SOCKET_READ) {
            read(event);
        } else if (kind == EventKind.SOCKET_REFUSED) {
            SocketQueue q = queues.get(event.extra());
            if (q != null && q.removeNewest(event.fingerprint())) {
                refused++;
            } else {
                unmatchedRefusals++;
            }
        } else {
            next.onEvent(retransmits.mark(event));
        }
    }

    private void read(EventView read) {
        SocketQueue q = queues.get(read.extra());
        if (q == null || q.size == 0) {
            unpairedReads++;
            return;
        }
        q.lastActive = read.timestamp();
        q.popInto(paired);
        if ((paired.get(ValueLayout.JAVA_BYTE, EventLayout.FLAGS) & EventLayout.FLAG_FILTERED_OUT) != 0) {
            filteredOut++;
            return;
        }
        paired.set(ValueLayout.JAVA_BYTE, EventLayout.KIND, (byte) EventKind.PACKET.code());
        paired.set(U64, EventLayout.TIMESTAMP, read.timestamp());
        paired.set(U32, EventLayout.CPU, read.cpu());
        pairedReads++;
        next.onEvent(view.wrap(paired, 0));
    }

    private SocketQueue queue(long socketCookie) {
        SocketQueue q = queues.get(socketCookie);
        if (q == null) {
            if (queues.size() >= MAX_SOCKETS) forget(newest - BUSY_IDLE_NANOS);
            q = new SocketQueue();
            queues.put(socketCookie, q);
        }
        q.lastActive = newest;
        return q;
    }

    /** Once a second of event time: forgets sockets (UDP queues, TCP streams) idle for {@link #SOCKET_IDLE_NANOS}. */
    private void forgetIdleSockets(long now) {
        if (now > newest) newest = now;
        if (newest < nextSweep) return;
        nextSweep = newest + SWEEP_EVERY_NANOS;
        if (newest > Long.MIN_VALUE + SOCKET_IDLE_NANOS) forget(newest - SOCKET_IDLE_NANOS);
        tcp.forgetIdle(newest);
    }

    private void forget(long idleBefore) {
        for (var it = queues.values().iterator(); it.hasNext(); ) {
            SocketQueue q = it.next();
            if (q.lastActive < idleBefore) {
                overflowed += q.size;
                forgottenSockets++;
                it.remove();
            }
        }
    }

    @Override
    public void afterDrain(int events) {
        next.afterDrain(events);
    }

    TcpStreamPairer tcp() { return tcp; }
    TcpRetransmitMarker retransmits() { return retransmits; }
    long pairedReads() { return pairedReads; }
    long unpairedReads() { return unpairedReads; }
    long filteredOut() { return filteredOut; }
    long overflowed() { return overflowed; }
    long refused() { return refused; }
    long unmatchedRefusals() { return unmatchedRefusals; }
    /** Sockets forgotten after {@link #SOCKET_IDLE_NANOS} without traffic (their unread datagrams are in {@link #overflowed}). */
    long forgottenSockets() { return forgottenSockets; }

    /** Datagrams queued and not (yet) read, over all sockets. Call on the drain thread or after it stopped. */
    long unread() {
        long n = 0;
        for (SocketQueue q : queues.values()) {
            n += q.size;
        }
        return n;
    }

    /** One socket's queued events, oldest first, in a ring of event-sized slots. */
    private final class SocketQueue {
        private MemorySegment slots = Arena.ofAuto().allocate((long) INITIAL_SLOTS * EventLayout.SIZE, 8);
        private int capacity = INITIAL_SLOTS;
        private int head;
        private int size;
        private long lastActive;

        void push(EventView event) {
            if (size == capacity) {
                if (capacity == MAX_SLOTS) {
                    head = (head + 1) % capacity;
                    size--;
                    overflowed++;
                } else {
                    grow();
                }
            }
            int slot = (head + size) % capacity;
            event.copyTo(slots, (long) slot * EventLayout.SIZE);
            size++;
        }

        /**
         * Takes back the newest queued datagram with this fingerprint: a refusal follows its
         * datagram's queuing at once, so it is almost always the last one.
         */
        boolean removeNewest(long fingerprint) {
            for (int i = size - 1; i >= 0; i--) {
                int slot = (head + i) % capacity;
                if (probe.wrap(slots, (long) slot * EventLayout.SIZE).fingerprint() == fingerprint) {
                    for (int j = i; j < size - 1; j++) {
                        MemorySegment.copy(slots, (long) ((head + j + 1) % capacity) * EventLayout.SIZE,
                                slots, (long) ((head + j) % capacity) * EventLayout.SIZE, EventLayout.SIZE);
                    }
                    size--;
                    return true;
                }
            }
            return false;
        }

        void popInto(MemorySegment out) {
            MemorySegment.copy(slots, (long) head * EventLayout.SIZE, out, 0, EventLayout.SIZE);
            head = (head + 1) % capacity;
            size--;
        }

        private void grow() {
            MemorySegment bigger = Arena.ofAuto().allocate((long) capacity * 2 * EventLayout.SIZE, 8);
            for (int i = 0; i < size; i++) {
                MemorySegment.copy(slots, (long) ((head + i) % capacity) * EventLayout.SIZE,
                        bigger, (long) i * EventLayout.SIZE, EventLayout.SIZE);
            }
            slots = bigger;
            capacity *= 2;
            head = 0;
        }
    }
}
