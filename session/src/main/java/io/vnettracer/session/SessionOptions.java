package io.vnettracer.session;

/**
 * Tuning of a session.
 *
 * @param ringBytes size of the shared ring buffer (a power of two)
 * @param pollMillis how often the drain thread looks at the ring when no wake-up came
 * @param legacyTc attach device probes as tc clsact filters even where TCX exists (kernels before
 *        6.6 get them anyway)
 */
public record SessionOptions(int ringBytes, int pollMillis, boolean legacyTc) {
    public static final SessionOptions DEFAULT = new SessionOptions(1 << 24, 5, false);

    public SessionOptions(int ringBytes, int pollMillis) {
        this(ringBytes, pollMillis, false);
    }

    public SessionOptions withLegacyTc() {
        return new SessionOptions(ringBytes, pollMillis, true);
    }
}
