package io.vnettracer.export.otlp;

import java.time.Instant;

/**
 * CLOCK_REALTIME − CLOCK_MONOTONIC, read once when a trace starts. Probes stamp records with
 * {@code bpf_ktime_get_ns}, the kernel's CLOCK_MONOTONIC, which {@link System#nanoTime()} also reads
 * on Linux; OTLP wants Unix epoch nanoseconds. The offset is taken from the tightest of a few
 * bracketed reads (monotonic, realtime, monotonic) and its uncertainty is half that bracket. It is
 * not re-read during the trace: a later step of the wall clock (NTP, settimeofday) does not move
 * spans already stamped, and the spans of one trace keep the monotonic clock's exact differences.
 */
public record ClockOffset(long realtimeMinusMonotonicNanos, long uncertaintyNanos) {
    private static final int SAMPLES = 16;

    public static ClockOffset measure() {
        long bestOffset = 0;
        long bestWindow = Long.MAX_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            Instant now = Instant.now();
            long after = System.nanoTime();
            long window = after - before;
            if (window < bestWindow) {
                bestWindow = window;
                long realtime = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                bestOffset = realtime - (before + window / 2);
            }
        }
        return new ClockOffset(bestOffset, (bestWindow + 1) / 2);
    }

    /** A kernel CLOCK_MONOTONIC timestamp as nanoseconds since the Unix epoch. */
    public long toEpochNanos(long monotonicNanos) {
        return monotonicNanos + realtimeMinusMonotonicNanos;
    }
}
