package io.vnettracer.event;

/**
 * The mixing function of packet fingerprints: a multiply-xorshift over 64-bit words (the finaliser
 * of SplitMix64), cheap and well distributed. Fingerprints are computed in user space from the
 * key every event carries, so probes pay nothing for them.
 */
final class Fingerprint {
    static final long SEED = 0x9E3779B97F4A7C15L;

    private Fingerprint() {}

    static long mix(long h, long word) {
        return finish(h ^ word) * 0x9E3779B97F4A7C15L;
    }

    static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
