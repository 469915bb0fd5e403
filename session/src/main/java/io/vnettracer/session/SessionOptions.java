package io.vnettracer.session;

/**
 * Tuning of a session.
 *
 * @param ringBytes size of the shared ring buffer (a power of two)
 * @param pollMillis how often the drain thread looks at the ring when no wake-up came
 * @param legacyTc attach device probes as tc clsact filters even where TCX exists (kernels before
 *        6.6 get them anyway)
 * @param aggregate sizes of aggregate mode's maps and its journey timeout (used only when a probe
 *        aggregates: the histogram action)
 */
public record SessionOptions(int ringBytes, int pollMillis, boolean legacyTc, Aggregate aggregate) {
    public static final SessionOptions DEFAULT = new SessionOptions(1 << 24, 5, false);

    /**
     * @param maxFlows     flows with figures of their own; later ones are added up as other flows
     * @param maxSightings packets followed at once
     * @param timeoutNs    a packet not seen for this long, short of a terminal probe, ended where last seen
     */
    public record Aggregate(int maxFlows, int maxSightings, long timeoutNs) {
        public static final Aggregate DEFAULT = new Aggregate(4096, 262_144, 2_000_000_000L);
    }

    public SessionOptions(int ringBytes, int pollMillis, boolean legacyTc) {
        this(ringBytes, pollMillis, legacyTc, Aggregate.DEFAULT);
    }

    public SessionOptions(int ringBytes, int pollMillis) {
        this(ringBytes, pollMillis, false);
    }

    public SessionOptions withLegacyTc() {
        return new SessionOptions(ringBytes, pollMillis, true, aggregate);
    }

    public SessionOptions withAggregate(Aggregate a) {
        return new SessionOptions(ringBytes, pollMillis, legacyTc, a);
    }
}
