package io.vnettracer.sinks;

import java.time.Instant;

/**
 * The offset that turns a probe's kernel timestamp (CLOCK_MONOTONIC, ns since boot) into wall time
 * (CLOCK_REALTIME, ns since the epoch). HotSpot on Linux reads {@link System#nanoTime()} from
 * CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns, and {@link Instant#now()} from CLOCK_REALTIME.
 * The offset is taken once, at trace start: a clock step (NTP) during the trace is not followed.
 */
public final class WallClock {
    private WallClock() {}

    /** CLOCK_REALTIME − CLOCK_MONOTONIC now, ns; the monotonic reading brackets the wall one. */
    public static long realtimeMinusMonotonicNanos() {
        long before = System.nanoTime();
        Instant wall = Instant.now();
        long after = System.nanoTime();
        long wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        return wallNanos - (before + (after - before) / 2);
    }
}
