package io.vnettracer.journey;

/**
 * When a live trace builds a new {@link Summary} off its joiner: once a second, and early when a
 * flow has appeared since the last one, so that a new flow shows within a drain pass or so of its
 * first packet rather than up to a second later. Early summaries are spaced by at least
 * {@link #NEW_FLOW_GAP_NANOS} and by {@link #BUDGET} times what the last one took to build: a
 * summary reads every flow kept (about 20 ms for 256 flows, 400 ms for 4096; docs/BENCHMARKS.md,
 * "Live summaries"), and the thread that builds it is the one that drains the ring, so a flood of
 * new flows must not make it spend more than a tenth of its time on them. Used on the joiner's
 * thread; not thread-safe.
 */
public final class SummaryPacing {
    public static final long EVERY_NANOS = 1_000_000_000L;
    public static final long NEW_FLOW_GAP_NANOS = 50_000_000L;
    /** Early summaries wait this many times their build time: at most a tenth of the thread. */
    public static final int BUDGET = 10;

    private long next = Long.MIN_VALUE;
    private long earliest = Long.MIN_VALUE;
    private long flowsPublished = -1;
    private long lastAt;

    /**
     * Whether to build a summary now; when it says so, it takes the summary as built (then tell it
     * how long that took: {@link #built}).
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
        lastAt = now;
        return true;
    }

    /** The summary {@link #due} asked for took {@code nanos} to build. */
    public void built(long nanos) {
        earliest = Math.max(earliest, lastAt + BUDGET * nanos);
    }
}
