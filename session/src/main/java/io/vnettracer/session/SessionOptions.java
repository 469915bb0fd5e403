package io.vnettracer.session;

/**
 * Tuning of a session.
 *
 * @param ringBytes size of the shared ring buffer (a power of two)
 * @param pollMillis how often the drain thread looks at the ring when no wake-up came
 */
public record SessionOptions(int ringBytes, int pollMillis) {
    public static final SessionOptions DEFAULT = new SessionOptions(1 << 24, 5);
}
