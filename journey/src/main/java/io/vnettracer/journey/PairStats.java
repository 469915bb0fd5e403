package io.vnettracer.journey;

import org.HdrHistogram.Histogram;

/**
 * Delays from one probe to a later one, over every journey of a flow seen at both, in the order
 * the journeys were finalized (their send order): count, exact sum, min and max, the RFC 3550
 * interarrival jitter of the delays, and a histogram for percentiles over the journeys in which
 * the two sightings were consecutive or first and last (the only pairs whose percentiles a summary
 * reports; for a segment of a flow's path that is every journey that crossed the whole path).
 */
final class PairStats {
    /**
     * Two significant digits: percentiles within 1%, the precision latency reports need. A flow
     * keeps one histogram per probe pair; three digits made each ~8 times larger (0.75 MB a flow
     * with six probes) and the joiner half as fast (cache misses; docs/BENCHMARKS.md).
     */
    private static final int SIGNIFICANT_DIGITS = 2;

    /** Null until the pair's first consecutive or end-to-end sighting: most other pairs never need one. */
    private Histogram histogram;
    long count;
    long sum;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    /** RFC 3550 section 6.4.1 J, in ns. */
    double jitter;
    private long previousTransit;
    private boolean hasPrevious;

    void record(long delay, boolean distribution) {
        count++;
        sum += delay;
        if (delay < min) min = delay;
        if (delay > max) max = delay;
        if (distribution) {
            if (histogram == null) histogram = new Histogram(SIGNIFICANT_DIGITS);
            histogram.recordValue(delay);
        }
        if (hasPrevious) {
            long d = delay - previousTransit;
            jitter += (Math.abs(d) - jitter) / 16.0;
        }
        previousTransit = delay;
        hasPrevious = true;
    }

    /** A copy of the delay histogram (empty for a pair whose percentiles are never read). */
    Histogram histogramCopy() {
        return histogram == null ? new Histogram(SIGNIFICANT_DIGITS) : histogram.copy();
    }

    double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    long percentile(double p) {
        return histogram == null ? 0 : histogram.getValueAtPercentile(p);
    }
}
