package io.vnettracer.probe.script;

/** What a probe does with a packet that passes its filter. */
public enum Action {
    /** One event per packet into the ring buffer, for journeys. */
    RECORD,
    /** Per-probe packet and byte counters kept in the kernel. */
    COUNT,
    /**
     * Aggregate mode: the packet is followed from probe to probe in the kernel and added to its
     * flow's counts, segment delays (log-linear histograms), jitter and drops there; nothing per
     * packet crosses to user space ({@code io.vnettracer.probe.program.JourneyAggregation}).
     */
    HISTOGRAM;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
