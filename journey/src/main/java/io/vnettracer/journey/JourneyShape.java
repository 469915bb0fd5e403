package io.vnettracer.journey;

/**
 * The journeys of one flow that crossed exactly the same probes in the same order, with the exact
 * sums of their hop delays: what makes the latency shares of a complete path add up to one.
 */
final class JourneyShape {
    final int[] probes;
    long count;
    /** hopSum[i]: the sum over these journeys of the delay from probes[i] to probes[i + 1]. */
    final long[] hopSum;
    /** The sum over these journeys of the delay from the first probe to the last. */
    long endToEndSum;

    JourneyShape(int[] hopProbe, int base, int length) {
        probes = java.util.Arrays.copyOfRange(hopProbe, base, base + length);
        hopSum = new long[Math.max(0, length - 1)];
    }

    boolean matches(int[] hopProbe, int base, int length) {
        if (probes.length != length) return false;
        for (int i = 0; i < length; i++) {
            if (probes[i] != hopProbe[base + i]) return false;
        }
        return true;
    }

    void record(long[] hopTs, int base, int length) {
        count++;
        for (int i = 0; i + 1 < length; i++) {
            hopSum[i] += hopTs[base + i + 1] - hopTs[base + i];
        }
        endToEndSum += hopTs[base + length - 1] - hopTs[base];
    }

    boolean sameProbes(int[] path) {
        return java.util.Arrays.equals(probes, path);
    }
}
