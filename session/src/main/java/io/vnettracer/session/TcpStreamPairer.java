package io.vnettracer.session;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Turns TCP socket receive events into packet events at the time the application read them, by
 * sequence range (docs/JOURNEYS.md, "TCP at the receiving socket").
 *
 * <p>TCP's receive side is a byte stream: the kernel coalesces segments in the receive queue and
 * collapses them under memory pressure, and a read may take part of a segment or several, so "one
 * buffer copied to the application" is not "one segment delivered". Instead: each segment with
 * payload is recorded as it reaches its socket ({@link EventKind#SOCKET_QUEUED}, its identity and
 * sequence range), and each read reports the socket's copied sequence after it ({@link
 * EventKind#SOCKET_READ}). A segment is delivered by the first read whose copied sequence reaches
 * its end, at that read's time: a segment read over two reads is delivered at the second, a
 * MSG_PEEK delivers nothing (copied_seq does not move), and segments that arrived out of order wait
 * until the hole before them is filled.
 *
 * <p>A SYN or FIN without data ends at its arrival (nothing is read of it). A segment whose range
 * the socket already has (read, or held by a segment that arrived before: a spurious
 * retransmission, which TCP discards) ends at its arrival: it reached its socket and is not lost,
 * but it is not queued, so the data is delivered once. Counted. Runs on the drain thread only;
 * allocates only when it meets a new socket or a socket's queue outgrows its buffer.
 */
final class TcpStreamPairer {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Small: many sockets hold a segment or two at a time; a busy one grows its buffer. */
    private static final int INITIAL_SEGMENTS = 4;
    /** Beyond this many undelivered segments on one socket the oldest are given up (and counted). */
    private static final int MAX_SEGMENTS = 1 << 16;
    /** The TCP SYN flag: it takes one sequence number before the payload. */
    private static final int SYN = 0x02;
    private static final int FIN = 0x01;

    private final EventConsumer next;
    private final Long2ObjectHashMap<Stream> streams = new Long2ObjectHashMap<>();
    private final MemorySegment delivered = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private final EventView view = new EventView();
    private final EventView probe = new EventView();

    private volatile long deliveredSegments;
    private volatile long readsWithoutArrivals;
    private volatile long duplicateArrivals;
    private volatile long overflowed;
    private volatile long forgottenSockets;
    private long newest = Long.MIN_VALUE;

    TcpStreamPairer(EventConsumer next) {
        this.next = next;
    }

    void onQueued(EventView segment) {
        int payload = segment.tcpPayloadLength();
        if (payload <= 0) {
            // A SYN or FIN without data: nothing to read, so it ends as it reaches its socket.
            if (payload == 0 && (segment.tcpFlags() & (SYN | FIN)) != 0) {
                deliver(segment, segment.timestamp(), segment.cpu());
            }
            return;
        }
        int start = segment.tcpSeq() + ((segment.tcpFlags() & SYN) != 0 ? 1 : 0);
        if (segment.timestamp() > newest) newest = segment.timestamp();
        Stream s = stream(segment.extra());
        s.lastActive = newest;
        if (s.covers(start, start + payload)) {
            // It reached its socket, which discards it as redundant: it ends here, neither lost nor
            // delivering anything the reader had not had (or will have) from another copy.
            duplicateArrivals++;
            deliver(segment, segment.timestamp(), segment.cpu());
            return;
        }
        s.push(segment, start, start + payload);
    }

    void onRead(EventView read) {
        Stream s = streams.get(read.extra());
        int copied = read.tcpSeq();
        if (s == null) {
            readsWithoutArrivals++;
            return;
        }
        if (read.timestamp() > newest) newest = read.timestamp();
        s.lastActive = newest;
        s.deliverUpTo(copied, read);
    }

    /** Passes {@code segment} on as a packet event at {@code time}. */
    private void deliver(EventView segment, long time, int cpu) {
        segment.copyTo(delivered, 0);
        delivered.set(ValueLayout.JAVA_BYTE, EventLayout.KIND, (byte) EventKind.PACKET.code());
        delivered.set(U64, EventLayout.TIMESTAMP, time);
        delivered.set(U32, EventLayout.CPU, cpu);
        deliveredSegments++;
        next.onEvent(view.wrap(delivered, 0));
    }

    long deliveredSegments() { return deliveredSegments; }
    long readsWithoutArrivals() { return readsWithoutArrivals; }
    long duplicateArrivals() { return duplicateArrivals; }
    long overflowed() { return overflowed; }
    long forgottenSockets() { return forgottenSockets; }

    /**
     * Forgets sockets idle for {@link SocketReadPairer#SOCKET_IDLE_NANOS} before {@code now} (event
     * time), giving up (and counting in {@link #overflowed}) segments they held undelivered.
     */
    void forgetIdle(long now) {
        if (now <= Long.MIN_VALUE + SocketReadPairer.SOCKET_IDLE_NANOS) return;
        forget(now - SocketReadPairer.SOCKET_IDLE_NANOS);
    }

    private void forget(long idleBefore) {
        for (var it = streams.values().iterator(); it.hasNext(); ) {
            Stream s = it.next();
            if (s.lastActive < idleBefore) {
                overflowed += s.size;
                forgottenSockets++;
                it.remove();
            }
        }
    }

    /** Segments arrived and not (yet) delivered, over all sockets. Call on the drain thread or after it stopped. */
    long undelivered() {
        long n = 0;
        for (Stream s : streams.values()) {
            n += s.size;
        }
        return n;
    }

    private Stream stream(long socketCookie) {
        Stream s = streams.get(socketCookie);
        if (s == null) {
            if (streams.size() >= SocketReadPairer.MAX_SOCKETS) forget(newest - 2_000_000_000L);
            s = new Stream();
            streams.put(socketCookie, s);
        }
        return s;
    }

    /** True when sequence number {@code a} is at or before {@code b}, modulo 2^32 (RFC 793). */
    private static boolean atOrBefore(int a, int b) {
        return a - b <= 0;
    }

    /** One socket's arrived, undelivered segments in arrival order, with their sequence ranges. */
    private final class Stream {
        private MemorySegment slots = Arena.ofAuto().allocate((long) INITIAL_SEGMENTS * EventLayout.SIZE, 8);
        private int[] starts = new int[INITIAL_SEGMENTS];
        private int[] ends = new int[INITIAL_SEGMENTS];
        private int size;
        private long lastActive;
        /** The copied sequence of the latest read; valid once {@link #readSeen}. */
        private int copied;
        private boolean readSeen;

        /** Whether [start, end) is data the socket already has: read, or held by one queued segment. */
        boolean covers(int start, int end) {
            if (readSeen && atOrBefore(end, copied)) {
                return true;
            }
            for (int i = 0; i < size; i++) {
                if (atOrBefore(starts[i], start) && atOrBefore(end, ends[i])) {
                    return true;
                }
            }
            return false;
        }

        void push(EventView segment, int start, int end) {
            if (size == starts.length) {
                if (size == MAX_SEGMENTS) {
                    removeAt(0);
                    overflowed++;
                } else {
                    grow();
                }
            }
            segment.copyTo(slots, (long) size * EventLayout.SIZE);
            starts[size] = start;
            ends[size] = end;
            size++;
        }

        /** Passes on, in arrival order, every segment that ends at or before {@code copiedSeq}. */
        void deliverUpTo(int copiedSeq, EventView read) {
            copied = copiedSeq;
            readSeen = true;
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (atOrBefore(ends[i], copiedSeq)) {
                    deliver(probe.wrap(slots, (long) i * EventLayout.SIZE), read.timestamp(), read.cpu());
                } else {
                    if (kept != i) {
                        MemorySegment.copy(slots, (long) i * EventLayout.SIZE, slots, (long) kept * EventLayout.SIZE, EventLayout.SIZE);
                        starts[kept] = starts[i];
                        ends[kept] = ends[i];
                    }
                    kept++;
                }
            }
            size = kept;
        }

        private void removeAt(int index) {
            MemorySegment.copy(slots, (long) (index + 1) * EventLayout.SIZE, slots, (long) index * EventLayout.SIZE,
                    (long) (size - index - 1) * EventLayout.SIZE);
            System.arraycopy(starts, index + 1, starts, index, size - index - 1);
            System.arraycopy(ends, index + 1, ends, index, size - index - 1);
            size--;
        }

        private void grow() {
            int capacity = starts.length * 2;
            MemorySegment bigger = Arena.ofAuto().allocate((long) capacity * EventLayout.SIZE, 8);
            MemorySegment.copy(slots, 0, bigger, 0, (long) size * EventLayout.SIZE);
            slots = bigger;
            starts = java.util.Arrays.copyOf(starts, capacity);
            ends = java.util.Arrays.copyOf(ends, capacity);
        }
    }
}
