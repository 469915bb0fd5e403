package io.vnettracer.probe.program;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.probe.codegen.Frame;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;

/**
 * The maps in which the UDP socket receive probes pair each read with the datagram it took, in
 * the kernel (see {@link UdpReadPairing}): per socket a queue position pair, per queued datagram
 * what was seen of it at its arrival, per CPU the datagram last queued (for a refusal to take it
 * back), and per probe the pairing's counters. Both hash maps are LRU: memory is bounded, and what
 * they evict shows up at a read as a missing datagram, counted.
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

    /** What the in-kernel pairing counts, per probe. */
    public enum Counter {
        /** Reads paired with their datagram and passed on as a packet event. */
        PAIRED,
        /** Reads of a socket with nothing queued (datagrams queued before the probe attached). */
        UNPAIRED_READS,
        /** Positions a read found empty and skipped: taken back out of order, or evicted (map full). */
        MISSING,
        /** Reads of datagrams the probe's filter rejected: paired, then not written. */
        FILTERED_OUT,
        /** Queued datagrams the socket then refused (receive buffer full), taken back. */
        REFUSED,
        /** Refusals of datagrams this probe had not queued on this CPU. */
        UNMATCHED_REFUSALS
    }

    private final BpfMap sockets;
    private final BpfMap queued;
    private final BpfMap last;
    private final BpfMap counters;

    UdpPairingMaps() {
        BpfMap s = null, q = null, l = null;
        try {
            s = BpfMap.create(MapSpec.lruHash("vnt_udp_socks", SOCKET_KEY_SIZE, SOCKET_STATE_SIZE, MAX_SOCKETS));
            q = BpfMap.create(MapSpec.lruHash("vnt_udp_queue", QUEUE_KEY_SIZE, Frame.SIGHTING_SIZE, MAX_QUEUED));
            l = BpfMap.create(MapSpec.perCpuArray("vnt_udp_last", LAST_SIZE, ProbeMaps.MAX_PROBES));
            this.counters = BpfMap.create(MapSpec.perCpuArray("vnt_udp_pair", 8,
                    ProbeMaps.MAX_PROBES * Counter.values().length));
        } catch (RuntimeException e) {
            for (BpfMap m : new BpfMap[] {l, q, s}) {
                if (m != null) {
                    m.close();
                }
            }
            throw e;
        }
        this.sockets = s;
        this.queued = q;
        this.last = l;
    }

    BpfMap sockets() { return sockets; }
    BpfMap queued() { return queued; }
    BpfMap last() { return last; }
    BpfMap counters() { return counters; }

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

    /** Datagrams a probe queued that no read has taken (yet): never read, or dropped after queuing. */
    public long unread(int probeId) {
        long n = 0;
        for (byte[] key : queued.keys()) {
            if (MemorySegment.ofArray(key).get(ValueLayout.JAVA_INT_UNALIGNED, 0) == probeId) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        counters.close();
        last.close();
        queued.close();
        sockets.close();
    }
}
