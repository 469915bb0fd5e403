package io.vnettracer.journey;

/**
 * When a live trace builds a new {@link Summary} off its joiner: once a second, and early, at
 * most every {@link #NEW_FLOW_GAP_NANOS}, when a flow has appeared since the last one, so that a
 * new flow shows within a drain pass or so of its first packet rather than up to a second later.
 * The gap bounds what a flood of new flows costs: building a summary reads every flow kept
 * (docs/BENCHMARKS.md, "Live summaries"). Used on the joiner's thread; not thread-safe.
 */
public final class SummaryPacing {
    public static final long EVERY_NANOS = 1_000_000_000L;
    public static final long NEW_FLOW_GAP_NANOS = 50_000_000L;

    private long next = Long.MIN_VALUE;
    private long earliest = Long.MIN_VALUE;
    private long flowsPublished = -1;

    /**
     * Whether to build a summary now; when it says so, it takes the summary as built.
     *
     * @param now           the caller's clock, ns
     * @param flowsAppeared {@link JourneyJoiner#flowsAppeared()}
     */
    public boolean due(long now, long flowsAppeared) {
        boolean newFlow = flowsAppeared != flowsPublished && now >= earliest;
        if (now < next && !newFlow) return false;
        next = now + EVERY_NANOS;
        earliest = now + NEW_FLOW_GAP_NANOS;
        flowsPublished = flowsAppeared;
        return true;
    }
}
