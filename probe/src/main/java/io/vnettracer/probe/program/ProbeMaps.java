package io.vnettracer.probe.program;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.probe.identity.TagCounter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The maps all probes of a session share, each indexed by probe id: the ring buffer of events, the
 * per-CPU count of events the full ring refused, the live configuration, per-probe packet and byte
 * counters. (Aggregate mode's maps are {@link AggregateMaps}.)
 */
public final class ProbeMaps implements AutoCloseable {
    /** Probe ids are 0 .. MAX_PROBES-1. */
    public static final int MAX_PROBES = 64;
    /** Config value: u32 enabled, u32 sample-every. */
    public static final int CONFIG_ENABLED = 0;
    public static final int CONFIG_SAMPLE_EVERY = 4;
    public static final int CONFIG_SIZE = 8;
    /** Counter value: u64 packets, u64 bytes. */
    public static final int COUNTER_PACKETS = 0;
    public static final int COUNTER_BYTES = 8;
    public static final int COUNTER_SIZE = 16;

    private final BpfMap ring;
    private final BpfMap lost;
    private final BpfMap config;
    private final BpfMap counters;
    private final BpfMap tagCounters;
    private final UdpPairingMaps udpPairing;

    public ProbeMaps(int ringBytes) {
        BpfMap r = null, l = null, c = null, n = null, t = null;
        try {
            r = BpfMap.create(MapSpec.ringBuffer("vnt_events", ringBytes));
            l = BpfMap.create(MapSpec.perCpuArray("vnt_lost", 8, MAX_PROBES));
            c = BpfMap.create(MapSpec.array("vnt_config", CONFIG_SIZE, MAX_PROBES));
            n = BpfMap.create(MapSpec.perCpuArray("vnt_counters", COUNTER_SIZE, MAX_PROBES));
            t = BpfMap.create(TagCounter.mapSpec("vnt_tags"));
            this.udpPairing = new UdpPairingMaps();
        } catch (RuntimeException e) {
            for (BpfMap m : new BpfMap[] {t, n, c, l, r}) {
                if (m != null) {
                    m.close();
                }
            }
            throw e;
        }
        this.tagCounters = t;
        this.ring = r;
        this.lost = l;
        this.config = c;
        this.counters = n;
    }

    public BpfMap ring() { return ring; }
    public BpfMap lost() { return lost; }
    public BpfMap config() { return config; }
    public BpfMap counters() { return counters; }
    public BpfMap tagCounters() { return tagCounters; }
    public UdpPairingMaps udpPairing() { return udpPairing; }

    /** Packets the tag generators skipped or could not untag, by reason (summed over CPUs). */
    public java.util.Map<TagCounter, Long> tagCounts() {
        java.util.Map<TagCounter, Long> out = new java.util.EnumMap<>(TagCounter.class);
        for (TagCounter c : TagCounter.values()) {
            out.put(c, tagCounters.sumLong(c.ordinal()));
        }
        return out;
    }

    /** Enables or disables a probe and sets its sample rate, live: the programs read it per packet. */
    public void configure(int probeId, boolean enabled, int sampleEvery) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(JAVA_INT);
            key.set(JAVA_INT, 0, probeId);
            MemorySegment value = arena.allocate(CONFIG_SIZE);
            value.set(JAVA_INT, CONFIG_ENABLED, enabled ? 1 : 0);
            value.set(JAVA_INT, CONFIG_SAMPLE_EVERY, sampleEvery);
            config.update(key, value, BpfMap.BPF_ANY);
        }
    }

    /**
     * Records a probe could not write (summed over CPUs): events the ring refused, and UDP reads
     * whose datagram's sighting the in-kernel pairing could not keep ({@link
     * UdpPairingMaps.Counter#MISSING}). Either is a shortfall of the probe at that time, not a loss
     * of the network's.
     */
    public long lostEvents(int probeId) {
        return lost.sumLong(probeId) + udpPairing.counters().sumLong(UdpPairingMaps.index(probeId, UdpPairingMaps.Counter.MISSING));
    }

    /** Packets and bytes counted by a probe (summed over CPUs). */
    public long[] counted(int probeId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(JAVA_INT);
            key.set(JAVA_INT, 0, probeId);
            MemorySegment value = arena.allocate(counters.userValueSize(), 8);
            long packets = 0;
            long bytes = 0;
            if (counters.lookup(key, value)) {
                int slot = counters.perCpuSlotSize();
                for (long off = 0; off < value.byteSize(); off += slot) {
                    packets += value.get(java.lang.foreign.ValueLayout.JAVA_LONG, off + COUNTER_PACKETS);
                    bytes += value.get(java.lang.foreign.ValueLayout.JAVA_LONG, off + COUNTER_BYTES);
                }
            }
            return new long[] {packets, bytes};
        }
    }

    @Override
    public void close() {
        udpPairing.close();
        tagCounters.close();
        counters.close();
        config.close();
        lost.close();
        ring.close();
    }
}
