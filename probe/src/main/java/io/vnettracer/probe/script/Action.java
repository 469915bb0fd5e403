package io.vnettracer.probe.script;

/** What a probe does with a packet that passes its filter. */
public enum Action {
    /** One event per packet into the ring buffer, for journeys. */
    RECORD,
    /** Per-probe packet and byte counters kept in the kernel. */
    COUNT,
    /** An in-kernel histogram of packet sizes (log2 buckets). */
    HISTOGRAM;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
