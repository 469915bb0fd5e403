package io.vnettracer.probe.program;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.probe.codegen.Frame;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;

/**
 * The maps in which the UDP socket receive probes pair each read with the datagram it took, in
 * the kernel (see {@link UdpReadPairing}): per socket a queue position pair, per queued datagram
 * what was seen of it at its arrival, per CPU the datagram last queued (for a refusal to take it
 * back), and per probe the pairing's counters. The queue is a plain hash map, not LRU: an LRU map can
 * evict before it is full (per-CPU free lists), and an evicted sighting would leave a hole a read
 * cannot tell from a refused datagram's; when the queue is full an arrival is not kept, counted
 * ({@link Counter#NOT_STORED}), and its read counted {@link Counter#MISSING}. The socket states are
 * LRU (sockets come and go).
 */
public final class UdpPairingMaps implements AutoCloseable {
    /** Sockets with a queue at once, over all socket receive probes of the session. */
    public static final int MAX_SOCKETS = 8192;
    /** Datagrams queued and not yet read at once, over all sockets. */
    public static final int MAX_QUEUED = 32768;
    /** Socket state value: u64 tail (next position to queue at), u64 head (next position to read). */
    static final int TAIL = 0;
    static final int HEAD = 8;
    static final int SOCKET_STATE_SIZE = 16;
    static final int SOCKET_KEY_SIZE = 16;
    static final int QUEUE_KEY_SIZE = 24;
    /** Per-CPU last queued datagram, by probe: u64 socket cookie, u64 position. */
    static final int LAST_COOKIE = 0;
    static final int LAST_POSITION = 8;
    static final int LAST_SIZE = 16;
    /**
     * In a kept sighting's flags word (the frame's, above the event's u8 flags): a refused
     * datagram's position, no datagram there.
     */
    static final int TOMBSTONE = 1 << 8;
    /**
     * A queued datagram's value: its sighting, then (u64, the frame's {@link Frame#MAP_KEY} slot
     * at the arrival) when it arrived.
     */
    static final int ARRIVAL = Frame.SIGHTING_SIZE;
    static final int QUEUE_VALUE_SIZE = Frame.SIGHTING_SIZE + 8;

    /** What the in-kernel pairing counts, per probe. */
    public enum Counter {
        /** Reads paired with their datagram and passed on as a packet event. */
        PAIRED,
        /** Reads of a socket with nothing queued (datagrams queued before the probe attached). */
        UNPAIRED_READS,
        /**
         * Reads of datagrams whose sighting was not kept (the queue map was full): nothing written,
         * reported as a shortfall of the probe (with its ring-buffer losses, {@link ProbeMaps#lostEvents}).
         */
        MISSING,
        /** Reads of datagrams the probe's filter rejected: paired, then not written. */
        FILTERED_OUT,
        /** Queued datagrams the socket then refused (receive buffer full), taken back. */
        REFUSED,
        /** Refusals of datagrams this probe had not queued on this CPU. */
        UNMATCHED_REFUSALS,
        /** Datagrams queued whose sighting could not be kept: the queue map was full. */
        NOT_STORED
    }

    private final BpfMap sockets;
    private final BpfMap queued;
    private final BpfMap last;
    private final BpfMap counters;
    private final BpfMap lags;

    UdpPairingMaps() {
        BpfMap s = null, q = null, l = null, c = null;
        try {
            s = BpfMap.create(MapSpec.lruHash("vnt_udp_socks", SOCKET_KEY_SIZE, SOCKET_STATE_SIZE, MAX_SOCKETS));
            q = BpfMap.create(MapSpec.hash("vnt_udp_queue", QUEUE_KEY_SIZE, QUEUE_VALUE_SIZE, MAX_QUEUED));
            l = BpfMap.create(MapSpec.perCpuArray("vnt_udp_last", LAST_SIZE, ProbeMaps.MAX_PROBES));
            c = BpfMap.create(MapSpec.perCpuArray("vnt_udp_pair", 8,
                    ProbeMaps.MAX_PROBES * Counter.values().length));
            this.lags = BpfMap.create(MapSpec.perCpuArray("vnt_udp_lag", 8, ProbeMaps.MAX_PROBES));
        } catch (RuntimeException e) {
            for (BpfMap m : new BpfMap[] {c, l, q, s}) {
                if (m != null) {
                    m.close();
                }
            }
            throw e;
        }
        this.sockets = s;
        this.queued = q;
        this.last = l;
        this.counters = c;
    }

    BpfMap sockets() { return sockets; }
    BpfMap queued() { return queued; }
    BpfMap last() { return last; }
    BpfMap counters() { return counters; }
    BpfMap lags() { return lags; }

    /** The index of a probe's counter in {@link #counters()}. */
    static int index(int probeId, Counter c) {
        return probeId * Counter.values().length + c.ordinal();
    }

    /** A probe's pairing counters, summed over CPUs. */
    public Map<Counter, Long> counts(int probeId) {
        Map<Counter, Long> out = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            out.put(c, counters.sumLong(index(probeId, c)));
        }
        return out;
    }

    /**
     * The longest a datagram waited in a socket's queue, from its arrival to its read, over a
     * probe's reads so far, in ns (0 if none). A record the read could not write belongs to a
     * datagram that arrived up to this long before: its shortfall reaches back that far.
     */
    public long maxReadLag(int probeId) {
        long[] perCpu = lags.lookupPerCpuLongs(probeId);
        long max = 0;
        if (perCpu != null) {
            for (long v : perCpu) {
                max = Math.max(max, v);
            }
        }
        return max;
    }

    /** Datagrams a probe queued that no read has taken (yet): never read, or dropped after queuing. */
    public long unread(int probeId) {
        long n = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(QUEUE_KEY_SIZE, 8);
            MemorySegment sighting = arena.allocate(QUEUE_VALUE_SIZE, 8);
            for (byte[] key : queued.keys()) {
                MemorySegment.copy(MemorySegment.ofArray(key), 0, k, 0, QUEUE_KEY_SIZE);
                // A tombstone is no datagram (a refused one's position, see UdpReadPairing).
                if (k.get(ValueLayout.JAVA_INT, 0) == probeId && queued.lookup(k, sighting)
                        && (sighting.get(ValueLayout.JAVA_LONG, Frame.FLAGS - Frame.SIGHTING) & TOMBSTONE) == 0) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public void close() {
        lags.close();
        counters.close();
        last.close();
        queued.close();
        sockets.close();
    }
}
