package io.vnettracer.journey;

import java.util.function.IntFunction;

/**
 * How the joiner waits and how much it may hold.
 *
 * @param timeoutNanos     how long (event time) after a journey's first event it stays open to
 *                         later events; then it is finalized, complete or lost. Also the bound on
 *                         how far out of order events may arrive (see docs/JOURNEYS.md).
 * @param maxHops          probe sightings kept per journey; more are counted and ignored
 * @param initialJourneys  journey slots allocated up front (the pool doubles when full)
 * @param maxJourneys      the most journeys held at once; past it the oldest is finalized early
 *                         and counted in {@link JoinCounters#evictedEarly()}
 * @param dropReasonNames  the name of a kernel drop reason code (from BTF's enum skb_drop_reason),
 *                         or null when unknown
 */
public record JoinerConfig(long timeoutNanos, int maxHops, int initialJourneys, int maxJourneys,
                           IntFunction<String> dropReasonNames) {
    public static final long DEFAULT_TIMEOUT_NANOS = 2_000_000_000L;

    public JoinerConfig {
        if (timeoutNanos <= 0) throw new IllegalArgumentException("timeoutNanos must be positive, got " + timeoutNanos);
        if (maxHops < 2 || maxHops > 64) throw new IllegalArgumentException("maxHops must be in 2..64, got " + maxHops);
        if (initialJourneys < 1) throw new IllegalArgumentException("initialJourneys must be positive, got " + initialJourneys);
        if (maxJourneys < initialJourneys) {
            throw new IllegalArgumentException("maxJourneys (" + maxJourneys + ") is below initialJourneys (" + initialJourneys + ")");
        }
        if (dropReasonNames == null) dropReasonNames = code -> null;
    }

    /** 2 s timeout, 12 hops, 4096 slots growing to 4 Mi, drop reasons shown as numbers. */
    public static JoinerConfig defaults() {
        return new JoinerConfig(DEFAULT_TIMEOUT_NANOS, 12, 4096, 1 << 22, code -> null);
    }

    public JoinerConfig withTimeoutNanos(long ns) {
        return new JoinerConfig(ns, maxHops, initialJourneys, maxJourneys, dropReasonNames);
    }

    public JoinerConfig withDropReasonNames(IntFunction<String> names) {
        return new JoinerConfig(timeoutNanos, maxHops, initialJourneys, maxJourneys, names);
    }

    public JoinerConfig withCapacity(int initial, int max) {
        return new JoinerConfig(timeoutNanos, maxHops, initial, max, dropReasonNames);
    }
}
