package io.vnettracer.probe.program;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The maps of aggregate mode ({@link JourneyAggregation}): the probes of one kernel follow each
 * packet from probe to probe here and add up flows, segments and delays, so that no per-packet
 * record crosses to user space. User space reads them once per interval
 * ({@code io.vnettracer.session.AggregateReader}).
 *
 * <ul>
 *   <li>{@code sightings}: a four-way set-associative table, a packet's identity (its fingerprint)
 *       picking its bucket of four ways: the packet's first and last sighting. No hash map: no lock, no
 *       insert or delete, one inlined array access per probe. A way is freed when its packet reaches a
 *       terminal probe or is dropped; a newer packet that finds every way taken takes the one seen least
 *       recently, whose journey is counted as ended where it was last seen when it has been quiet for
 *       the journey timeout ({@link #COUNT_ENDED}), else as displaced ({@link
 *       Counter#SIGHTINGS_DISPLACED}: unaccounted, never silent). (In AggregateModeTest, 6 000
 *       journeys with 250 queued: one way displaced 3 at 256 Ki ways, two ways 1 at 64 Ki: a table
 *       of few ways collides early.)</li>
 *   <li>{@code flows}: a 5-tuple → its index, given out in order of first sighting from 1 to
 *       {@code maxFlows}; later flows share index 0 ("other flows"), so that the rows in use are a
 *       prefix of the arrays.</li>
 *   <li>{@code counts}: per (flow index, probe): packets, IP bytes, the sum of the delays since the
 *       packet's first sighting (the probe's mean place on the path), first and last time.</li>
 *   <li>{@code segments}: per (flow, from, to, kind): count, sum, min and max of the delays;
 *       {@code delays}: the same key with a {@link io.vnettracer.event.DelayBuckets} bucket → count.
 *       Both per CPU (no atomics on the hot path; extremes exact).</li>
 *   <li>{@code jitter}: per flow, RFC 3550 interarrival jitter of the first-to-terminal delay.</li>
 *   <li>{@code drops}: per (flow, drop reason, last probe, drop probe) → count.</li>
 * </ul>
 */
public final class AggregateMaps implements AutoCloseable {
    /** Ways per bucket of the sightings table. */
    public static final int SEEN_WAYS = 4;
    /** Sightings way: u64 identity (0: free), u64 first time, u64 last time, u32 flow, u8 last probe, u8 first probe. */
    public static final int SEEN_ID = 0;
    public static final int SEEN_FIRST = 8;
    public static final int SEEN_LAST = 16;
    public static final int SEEN_FLOW = 24;
    public static final int SEEN_PROBE = 28;
    public static final int SEEN_FIRST_PROBE = 29;
    public static final int SEEN_SIZE = 32;
    /** Flow key: 16 + 16 address bytes, u16 ports (network order), u8 protocol, u8 family, 2 zero bytes. */
    public static final int FLOW_KEY_SIZE = 40;
    /**
     * Counts value: u64 packets, u64 bytes, u64 offset sum, u64 first time, u64 last time, and u64
     * journeys last seen here that went quiet for the timeout and whose slot a newer packet took.
     */
    public static final int COUNT_PACKETS = 0;
    public static final int COUNT_BYTES = 8;
    public static final int COUNT_OFFSET_SUM = 16;
    public static final int COUNT_FIRST = 24;
    public static final int COUNT_LAST = 32;
    public static final int COUNT_ENDED = 40;
    public static final int COUNT_SIZE = 48;
    /** Segment key: u32 flow, u8 from probe, u8 to probe, u16 kind (segments) or kind and bucket (delays). */
    public static final int SEGMENT_KEY_SIZE = 8;
    public static final int KEY_FLOW = 0;
    public static final int KEY_FROM = 4;
    public static final int KEY_TO = 5;
    public static final int KEY_KIND = 6;
    /** Kinds: the delay from one probe to the next, and from the first sighting to a terminal probe. */
    public static final int KIND_HOP = io.vnettracer.event.KernelAggregates.HOP;
    public static final int KIND_END_TO_END = io.vnettracer.event.KernelAggregates.END_TO_END;
    /**
     * TCP segments without payload that reached their socket (no read ever takes them): counted from
     * their first probe to the last probe that saw them before the socket; only the count is kept.
     */
    public static final int KIND_EMPTY_END = io.vnettracer.event.KernelAggregates.EMPTY_END;
    /** In a delay key's last u16, the kind sits in the top bit above the bucket. */
    public static final int DELAY_KIND_SHIFT = 15;
    /** Segment value: u64 count, u64 sum, u64 min, u64 max. */
    public static final int SEGMENT_COUNT = 0;
    public static final int SEGMENT_SUM = 8;
    public static final int SEGMENT_MIN = 16;
    public static final int SEGMENT_MAX = 24;
    public static final int SEGMENT_SIZE = 32;
    /** Jitter value: u64 last transit time, u64 jitter × 16 (RFC 3550 A.8). */
    public static final int JITTER_TRANSIT = 0;
    public static final int JITTER_SCALED = 8;
    public static final int JITTER_SIZE = 16;
    /** Drop key: u32 flow, u32 reason, u8 last probe, u8 drop probe, 6 zero bytes. */
    public static final int DROP_FLOW = 0;
    public static final int DROP_REASON = 4;
    public static final int DROP_LAST_PROBE = 8;
    public static final int DROP_PROBE = 9;
    public static final int DROP_KEY_SIZE = 16;
    /** A drop key's flow when no flow had that 5-tuple, and its last probe when no probe saw the packet. */
    public static final int NO_FLOW = -1;
    public static final int NO_PROBE = 0xFF;

    /** Each segment (flow, from, to, kind) holds about this many non-empty delay buckets. */
    private static final int BUCKETS_PER_SEGMENT = 64;
    private static final int SEGMENTS_PER_FLOW = 16;

    /** What the aggregation counts about itself (summed over CPUs); each is reported, none is silent. */
    public enum Counter {
        /**
         * Journeys displaced from the sightings table before their end or timeout (a newer packet's
         * identity picked their slot): what they had not reached yet is unaccounted.
         */
        SIGHTINGS_DISPLACED,
        /** Second sightings of a packet at the probe that saw it last (kept: the first). */
        DUPLICATES,
        /** Delays not put in a bucket: the delays map was full (their segment's count, sum, extremes are exact). */
        DELAYS_FULL,
        /** Delays not added to a segment: the segments map was full. */
        SEGMENTS_FULL,
        /** Drops not counted by place and reason: the drops map was full. */
        DROPS_FULL,
        /** Packets of flows past the flow table's size, counted under "other flows". */
        OTHER_FLOW_PACKETS;
    }

    private final int maxFlows;
    private final int maxSightings;
    private final long timeoutNs;
    private final BpfMap sightings;
    private final BpfMap flows;
    private final BpfMap nextFlow;
    private final BpfMap counts;
    private final BpfMap segments;
    private final BpfMap delays;
    private final BpfMap jitter;
    private final BpfMap drops;
    private final BpfMap counters;

    /**
     * @param maxFlows     flows with their own index; more share the "other flows" index
     * @param sightingSlots slots of the sightings table (rounded up to a power of two): packets followed at once
     * @param timeoutNs    a journey quiet this long short of its end is over, where it was last seen
     */
    public AggregateMaps(int maxFlows, int sightingSlots, long timeoutNs) {
        this.maxFlows = maxFlows;
        this.maxSightings = Integer.highestOneBit(Math.max(2, sightingSlots - 1)) << 1;
        this.timeoutNs = timeoutNs;
        List<BpfMap> made = new ArrayList<>();
        try {
            sightings = make(made, MapSpec.array("vnt_agg_seen", SEEN_SIZE * SEEN_WAYS, maxSightings / SEEN_WAYS));
            flows = make(made, MapSpec.hash("vnt_agg_flows", FLOW_KEY_SIZE, 8, maxFlows));
            nextFlow = make(made, MapSpec.array("vnt_agg_next", 8, 1));
            counts = make(made, MapSpec.array("vnt_agg_counts", COUNT_SIZE, (maxFlows + 1) * ProbeMaps.MAX_PROBES));
            int segmentEntries = (maxFlows + 1) * SEGMENTS_PER_FLOW;
            // Per CPU: probes on two CPUs add to their own copies without atomics (user space sums them).
            segments = make(made, new MapSpec("vnt_agg_segs", io.vnettracer.bpf.map.MapType.PERCPU_HASH,
                    SEGMENT_KEY_SIZE, SEGMENT_SIZE, segmentEntries, MapSpec.NO_PREALLOC));
            delays = make(made, new MapSpec("vnt_agg_delays", io.vnettracer.bpf.map.MapType.PERCPU_HASH,
                    SEGMENT_KEY_SIZE, 8, segmentEntries * BUCKETS_PER_SEGMENT / 4, MapSpec.NO_PREALLOC));
            jitter = make(made, MapSpec.array("vnt_agg_jitter", JITTER_SIZE, maxFlows + 1));
            drops = make(made, new MapSpec("vnt_agg_drops", io.vnettracer.bpf.map.MapType.HASH,
                    DROP_KEY_SIZE, 8, 16384, MapSpec.NO_PREALLOC));
            counters = make(made, MapSpec.perCpuArray("vnt_agg_ctrs", 8, Counter.values().length));
            nextFlow.typed(io.vnettracer.bpf.map.Codec.U32, io.vnettracer.bpf.map.Codec.U64).put(0, 1L);
        } catch (RuntimeException e) {
            for (int i = made.size() - 1; i >= 0; i--) made.get(i).close();
            throw e;
        }
    }

    private static BpfMap make(List<BpfMap> made, MapSpec spec) {
        BpfMap m = BpfMap.create(spec);
        made.add(m);
        return m;
    }

    public int maxFlows() { return maxFlows; }
    /** Ways of the sightings table (packets followed at once, at most), a power of two. */
    public int maxSightings() { return maxSightings; }
    /** Buckets of the sightings table, a power of two. */
    public int sightingBuckets() { return maxSightings / SEEN_WAYS; }
    public long timeoutNs() { return timeoutNs; }
    /** The index every flow past {@link #maxFlows()} shares. */
    public int otherFlow() { return 0; }

    /** One more than the highest flow index given out so far (at most {@code maxFlows + 1}). */
    public int flowsInUse() {
        Long next = nextFlow.typed(io.vnettracer.bpf.map.Codec.U32, io.vnettracer.bpf.map.Codec.U64).get(0);
        return (int) Math.min(maxFlows + 1L, next == null ? 1 : next);
    }
    public BpfMap sightings() { return sightings; }
    public BpfMap flows() { return flows; }
    public BpfMap nextFlow() { return nextFlow; }
    public BpfMap counts() { return counts; }
    public BpfMap segments() { return segments; }
    public BpfMap delays() { return delays; }
    public BpfMap jitter() { return jitter; }
    public BpfMap drops() { return drops; }
    public BpfMap counters() { return counters; }

    public long counter(Counter c) {
        return counters.sumLong(c.ordinal());
    }

    @Override
    public void close() {
        for (BpfMap m : new BpfMap[] {counters, drops, jitter, delays, segments, counts, nextFlow, flows, sightings}) {
            m.close();
        }
    }
}
