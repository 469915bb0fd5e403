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
     * Null until the pair's second consecutive or end-to-end delay (a single delay is its own
     * percentile: {@link #onlyDelay}). Two significant digits, percentiles within 1 %: the
     * precision latency reports need (docs/BENCHMARKS.md, analysis).
     */
    private HdrDelayCounts histogram;
    /** The percentiles a summary reads (p50, p90, p99, p99.9), as of {@link #cachedAt} delays. */
    private static final int CACHED_PERCENTILES = 4;
    private double[] cachedPercentile;
    private long[] cachedValue;
    private int cachedCount;
    private long cachedAt = -1;
    private long distributionCount;
    private long onlyDelay;
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
        if (distribution) recordDistribution(delay);
        if (hasPrevious) {
            long d = delay - previousTransit;
            jitter += (Math.abs(d) - jitter) / 16.0;
        }
        previousTransit = delay;
        hasPrevious = true;
    }

    private void recordDistribution(long delay) {
        long n = ++distributionCount;
        if (n == 1) {
            onlyDelay = delay;
            return;
        }
        if (n == 2) {
            histogram = new HdrDelayCounts();
            cachedPercentile = new double[CACHED_PERCENTILES];
            cachedValue = new long[CACHED_PERCENTILES];
            histogram.record(onlyDelay);
        }
        histogram.record(delay);
    }

    /** A copy of the delay histogram (empty for a pair whose percentiles are never read). */
    Histogram histogramCopy() {
        if (histogram != null) return histogram.toHistogram();
        Histogram copy = new Histogram(HdrDelayCounts.SIGNIFICANT_DIGITS);
        if (distributionCount == 1) copy.recordValue(onlyDelay);
        return copy;
    }

    double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The delay at percentile {@code p}. Summaries are built about once a second over every flow,
     * most of which have not changed since the last: a percentile of a histogram that took no delay
     * since it was read is not read again (a read walks all its buckets).
     */
    long percentile(double p) {
        if (histogram == null) return distributionCount == 1 ? onlyDelay : 0;
        if (cachedAt != distributionCount) {
            cachedAt = distributionCount;
            cachedCount = 0;
        }
        for (int i = 0; i < cachedCount; i++) {
            if (cachedPercentile[i] == p) return cachedValue[i];
        }
        long value = histogram.valueAtPercentile(p);
        if (cachedCount < CACHED_PERCENTILES) {
            cachedPercentile[cachedCount] = p;
            cachedValue[cachedCount++] = value;
        }
        return value;
    }
}
