package io.vnettracer.event;

import java.util.List;
import java.util.Map;

/**
 * What aggregate-mode probes added up in one kernel, as read at one moment: the other thing, beside
 * events, that the kernel hands to user space. Per-probe arrays are indexed by probe id.
 *
 * @param flows    every flow with a packet counted, the shared "other flows" row first when it has any
 *                 ({@link FlowAggregate#tuple()} null)
 * @param drops    drops by flow, last probe, drop probe and reason
 * @param counters the aggregation's own counts (full maps, duplicates, other-flow packets), by name
 * @param maxFlows flows with a row of their own at most
 */
public record KernelAggregates(List<FlowAggregate> flows, List<DropAggregate> drops, Map<String, Long> counters,
                               int maxFlows) {
    /**
     * A flow's 5-tuple with its address family; addresses as two big-endian halves (IPv4 in the top 4
     * bytes of the high half), ports in host order.
     */
    public record Tuple(int family, int protocol, long srcHigh, long srcLow, int srcPort, long dstHigh, long dstLow,
                        int dstPort) {}

    /** No probe: the value of a drop's last probe when no path probe saw the packet. */
    public static final int NO_PROBE = -1;

    /**
     * One flow. {@code ended[p]}: journeys whose last sighting was at probe p and that went quiet for
     * the journey timeout without reaching a terminal probe or a drop; {@code open[p]}: journeys last
     * seen at p and still followed.
     *
     * @param jitterNs RFC 3550 jitter of the first-to-terminal delay (arrival order)
     */
    public record FlowAggregate(Tuple tuple, long[] packets, long[] bytes, long[] offsetSum, long[] firstNs,
                                long[] lastNs, List<SegmentAggregate> segments, double jitterNs, long[] ended,
                                long[] open) {}

    /** Segment kinds: consecutive sightings; a first sighting to a terminal probe; see {@link #EMPTY_END}. */
    public static final int HOP = 0;
    public static final int END_TO_END = 1;
    /**
     * TCP segments without payload that reached their socket (no read takes them), from their first
     * probe to the last that saw them: only {@code count}.
     */
    public static final int EMPTY_END = 2;

    /**
     * Delays from probe {@code from} to {@code to} of a {@code kind}. {@code buckets}: counts by
     * {@link io.vnettracer.event.DelayBuckets} index (delays that found the delays map full are in
     * {@code count} but in no bucket).
     */
    public record SegmentAggregate(int from, int to, int kind, long count, long sumNs, long minNs, long maxNs,
                                   long[] buckets) {}

    /** @param flow the flow's index in {@link KernelAggregates#flows()}, -1 when no flow had its 5-tuple */
    public record DropAggregate(int flow, int lastProbe, int dropProbe, long reason, long count) {}
}
