package io.vnettracer.journey;

import java.util.function.IntFunction;

/**
 * How the joiner waits and how much it may hold: its memory is bounded by these, not by the
 * traffic (docs/JOURNEYS.md, "Bounded memory").
 *
 * @param timeoutNanos     how long (event time) after a journey's first event it stays open to
 *                         later events; then it is finalized, complete or lost. Also the bound on
 *                         how far out of order events may arrive (see docs/JOURNEYS.md).
 * @param maxHops          probe sightings kept per journey; more are counted and ignored
 * @param initialJourneys  journey slots allocated up front (the pool doubles when full)
 * @param maxJourneys      the most journeys held at once; past it the oldest is finalized early,
 *                         counted in {@link JoinCounters#evictedEarly()}, and what it had not yet
 *                         been seen at is unaccounted, not lost
 * @param maxFlows         the most flows kept apart (still open or idle-evicted into their final
 *                         figures); past it the least recently active flow is folded into the
 *                         summary's "other flows" ({@link JoinCounters#flowsFolded()})
 * @param flowIdleNanos    a flow without a journey for this long (event time) is finalized into its
 *                         summary figures and its working state freed ({@link JoinCounters#flowsEvictedIdle()});
 *                         if its 5-tuple shows up again it is a new flow row, as a NetFlow/IPFIX
 *                         exporter's inactive timeout does
 * @param dropReasonNames  the name of a kernel drop reason code (from BTF's enum skb_drop_reason),
 *                         or null when unknown
 */
public record JoinerConfig(long timeoutNanos, int maxHops, int initialJourneys, int maxJourneys,
                           int maxFlows, long flowIdleNanos, IntFunction<String> dropReasonNames) {
    public static final long DEFAULT_TIMEOUT_NANOS = 2_000_000_000L;
    /**
     * 512 Ki journeys (~170 MB of slots): 2 s of 260 000 packets a second, more than this 2-core
     * machine's traced paths carry, before journeys are finalized early.
     */
    public static final int DEFAULT_MAX_JOURNEYS = 1 << 19;
    /** Enough rows for any summary a person reads; a flow with many packets costs up to ~70 KB. */
    public static final int DEFAULT_MAX_FLOWS = 4096;
    public static final long DEFAULT_FLOW_IDLE_NANOS = 60_000_000_000L;

    public JoinerConfig {
        if (timeoutNanos <= 0) throw new IllegalArgumentException("timeoutNanos must be positive, got " + timeoutNanos);
        if (maxHops < 2 || maxHops > 64) throw new IllegalArgumentException("maxHops must be in 2..64, got " + maxHops);
        if (initialJourneys < 1) throw new IllegalArgumentException("initialJourneys must be positive, got " + initialJourneys);
        if (maxJourneys < initialJourneys) {
            throw new IllegalArgumentException("maxJourneys (" + maxJourneys + ") is below initialJourneys (" + initialJourneys + ")");
        }
        if (maxFlows < 1) throw new IllegalArgumentException("maxFlows must be positive, got " + maxFlows);
        if (flowIdleNanos <= 0) throw new IllegalArgumentException("flowIdleNanos must be positive, got " + flowIdleNanos);
        if (dropReasonNames == null) dropReasonNames = code -> null;
    }

    /**
     * 2 s timeout, 12 hops, 4096 slots growing to {@link #DEFAULT_MAX_JOURNEYS}, {@link #DEFAULT_MAX_FLOWS}
     * flows idle-evicted after 60 s, drop reasons shown as numbers.
     */
    public static JoinerConfig defaults() {
        return new JoinerConfig(DEFAULT_TIMEOUT_NANOS, 12, 4096, DEFAULT_MAX_JOURNEYS, DEFAULT_MAX_FLOWS,
                DEFAULT_FLOW_IDLE_NANOS, code -> null);
    }

    public JoinerConfig withTimeoutNanos(long ns) {
        return new JoinerConfig(ns, maxHops, initialJourneys, maxJourneys, maxFlows, flowIdleNanos, dropReasonNames);
    }

    public JoinerConfig withDropReasonNames(IntFunction<String> names) {
        return new JoinerConfig(timeoutNanos, maxHops, initialJourneys, maxJourneys, maxFlows, flowIdleNanos, names);
    }

    public JoinerConfig withCapacity(int initial, int max) {
        return new JoinerConfig(timeoutNanos, maxHops, Math.min(initial, max), max, maxFlows, flowIdleNanos, dropReasonNames);
    }

    public JoinerConfig withMaxFlows(int flows) {
        return new JoinerConfig(timeoutNanos, maxHops, initialJourneys, maxJourneys, flows, flowIdleNanos, dropReasonNames);
    }

    public JoinerConfig withFlowIdleNanos(long ns) {
        return new JoinerConfig(timeoutNanos, maxHops, initialJourneys, maxJourneys, maxFlows, ns, dropReasonNames);
    }
}
