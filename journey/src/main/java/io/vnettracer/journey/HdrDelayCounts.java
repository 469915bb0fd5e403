package io.vnettracer.journey;

import org.HdrHistogram.Histogram;

/**
 * Counts of delays in the log-linear buckets of an HdrHistogram of two significant digits (128
 * linear sub-buckets per power of two: within 1 %), recorded with a shift and an add instead of
 * HdrHistogram's bookkeeping, and read back as that histogram would read them: the same
 * percentiles, and {@link #toHistogram()} gives one with the same counts. The joiner records a
 * delay per path segment per journey; a summary reads percentiles about once a second
 * (docs/BENCHMARKS.md, analysis).
 *
 * <p>Only the window of buckets between the smallest and largest delay so far is kept (a segment's
 * delays span a few powers of two: hundreds of buckets, not HdrHistogram's thousands); it grows
 * when a delay falls outside it, so that recording allocates nothing once a pair's range is seen.
 */
final class HdrDelayCounts {
    /** As HdrHistogram at 2 significant digits: 2 * 10^2 values of unit resolution need 2^8 sub-buckets. */
    static final int SIGNIFICANT_DIGITS = 2;
    private static final int SUB_BUCKET_COUNT_MAGNITUDE = 8;
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (1L << SUB_BUCKET_COUNT_MAGNITUDE) - 1;
    private static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_COUNT_MAGNITUDE;
    private static final int INITIAL_WINDOW = 64;

    /** counts[i] is the count of bucket {@code low + i}. */
    private long[] counts = new long[INITIAL_WINDOW];
    private int low = -1;
    private long total;

    /** @param delay ns, not negative */
    void record(long delay) {
        int index = indexOf(delay);
        int i = index - low;
        if (low < 0 || i < 0 || i >= counts.length) i = fit(index);
        counts[i]++;
        total++;
    }

    long totalCount() {
        return total;
    }

    /**
     * The delay at percentile {@code percentile} (0..100) as {@code Histogram.getValueAtPercentile}
     * gives it: the highest value equivalent to the bucket where the count reaches the percentile
     * (the lowest, for percentile 0); 0 when empty.
     */
    long valueAtPercentile(double percentile) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        long countAtPercentile = Math.max(1, (long) Math.ceil(requested / 100.0 * total));
        long sum = 0;
        for (int i = 0; i < counts.length && low >= 0; i++) {
            sum += counts[i];
            if (sum >= countAtPercentile) {
                int index = low + i;
                long lowest = lowestValueOf(index);
                return percentile == 0.0 ? lowest : lowest + (1L << bucketOf(index)) - 1;
            }
        }
        return 0;
    }

    /** An HdrHistogram (2 significant digits) with these counts. */
    Histogram toHistogram() {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        for (int i = 0; i < counts.length && low >= 0; i++) {
            if (counts[i] != 0) histogram.recordValueWithCount(lowestValueOf(low + i), counts[i]);
        }
        return histogram;
    }

    /** Widens the window (at least doubling it) to hold {@code index}; returns its place in it. */
    private int fit(int index) {
        if (low < 0) {
            low = Math.max(0, index - INITIAL_WINDOW / 2);
            return index - low;
        }
        int high = low + counts.length - 1;
        int newLow = Math.min(low, index);
        int newHigh = Math.max(high, index);
        int length = Math.max(newHigh - newLow + 1, counts.length * 2);
        if (index < low) newLow = Math.max(0, newHigh - length + 1);
        long[] grown = new long[length];
        System.arraycopy(counts, 0, grown, low - newLow, counts.length);
        counts = grown;
        low = newLow;
        return index - low;
    }

    /** HdrHistogram's countsArrayIndex for a unit magnitude of 0. */
    static int indexOf(long value) {
        int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        int subBucket = (int) (value >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
    }

    private static int bucketOf(int index) {
        return Math.max(0, (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1);
    }

    /** HdrHistogram's valueFromIndex: the lowest value of the bucket. */
    static long lowestValueOf(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }
}
