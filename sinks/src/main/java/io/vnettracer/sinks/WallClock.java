package io.vnettracer.sinks;

import java.time.Instant;

/**
 * The offset that turns a probe's kernel timestamp (CLOCK_MONOTONIC, ns since boot) into wall time
 * (CLOCK_REALTIME, ns since the epoch). HotSpot on Linux reads {@link System#nanoTime()} from
 * CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns, and {@link Instant#now()} from CLOCK_REALTIME.
 * The offset is taken once, at trace start: a clock step (NTP) during the trace is not followed.
 */
public final class WallClock {
    private static final int SAMPLES = 16;

    private WallClock() {}

    /** The offset, and how far it can be off: half the tightest monotonic bracket around a wall-clock read. */
    public record Reading(long realtimeMinusMonotonicNanos, long uncertaintyNanos) {}

    /** CLOCK_REALTIME − CLOCK_MONOTONIC now, ns: the tightest of a few bracketed reads (monotonic, wall, monotonic). */
    public static Reading read() {
        long bestOffset = 0;
        long bestWindow = Long.MAX_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            long window = after - before;
            if (window < bestWindow) {
                bestWindow = window;
                bestOffset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + window / 2);
            }
        }
        return new Reading(bestOffset, (bestWindow + 1) / 2);
    }

    /** {@link #read()}'s offset alone. */
    public static long realtimeMinusMonotonicNanos() {
        return read().realtimeMinusMonotonicNanos();
    }
}
