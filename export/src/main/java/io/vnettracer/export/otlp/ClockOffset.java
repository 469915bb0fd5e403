package io.vnettracer.export.otlp;

import io.vnettracer.sinks.WallClock;

/**
 * CLOCK_REALTIME − CLOCK_MONOTONIC, read once when a trace starts ({@link WallClock#read()}). Probes
 * stamp records with {@code bpf_ktime_get_ns}, the kernel's CLOCK_MONOTONIC; OTLP wants Unix epoch
 * nanoseconds. It is not re-read during the trace: a later step of the wall clock (NTP,
 * settimeofday) does not move spans already stamped, and the spans of one trace keep the monotonic
 * clock's exact differences.
 */
public record ClockOffset(long realtimeMinusMonotonicNanos, long uncertaintyNanos) {
    public static ClockOffset measure() {
        WallClock.Reading r = WallClock.read();
        return new ClockOffset(r.realtimeMinusMonotonicNanos(), r.uncertaintyNanos());
    }

    /** A kernel CLOCK_MONOTONIC timestamp as nanoseconds since the Unix epoch. */
    public long toEpochNanos(long monotonicNanos) {
        return monotonicNanos + realtimeMinusMonotonicNanos;
    }
}
