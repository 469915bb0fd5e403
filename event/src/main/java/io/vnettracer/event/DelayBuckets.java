package io.vnettracer.event;

/**
 * The log-linear buckets in which aggregate-mode probes count delays in the kernel, and how user
 * space reads them back: each power of two of nanoseconds is cut into {@value #SUB_BUCKETS} equal
 * buckets (values below {@value #SUB_BUCKETS} ns have a bucket each), so a bucket is at most 1/16 =
 * 6.25 % of its values wide and a percentile reported as its bucket's midpoint is within
 * {@value #RESOLUTION_PERCENT} % of the true value. Delays of 2^{@value #MAX_POWER} ns (about 18
 * minutes) and more share the last bucket.
 *
 * <p>The kernel side is {@code io.vnettracer.probe.program.JourneyAggregation}: it computes the
 * same index with shifts and compares; {@code DelayBucketsTest} checks the two agree.
 */
public final class DelayBuckets {
    public static final int SUB_BITS = 4;
    public static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** The highest power of two of ns with buckets of its own. */
    public static final int MAX_POWER = 39;
    public static final int COUNT = (MAX_POWER - SUB_BITS + 2) * SUB_BUCKETS;
    /** Half a bucket's width relative to its lower bound, rounded up: the reported midpoint's error bound. */
    public static final double RESOLUTION_PERCENT = 3.2;

    private DelayBuckets() {}

    /** The bucket of a delay of {@code ns} (negative delays count as 0). */
    public static int index(long ns) {
        if (ns < SUB_BUCKETS) {
            return (int) Math.max(0, ns);
        }
        int msb = 63 - Long.numberOfLeadingZeros(ns);
        if (msb > MAX_POWER) {
            return COUNT - 1;
        }
        return (msb - SUB_BITS + 1) * SUB_BUCKETS + (int) ((ns >>> (msb - SUB_BITS)) & (SUB_BUCKETS - 1));
    }

    /** The smallest delay in bucket {@code index}. */
    public static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int msb = index / SUB_BUCKETS + SUB_BITS - 1;
        long sub = index % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << (msb - SUB_BITS);
    }

    /** The delay reported for bucket {@code index}: the middle of its values. */
    public static long midpoint(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int msb = index / SUB_BUCKETS + SUB_BITS - 1;
        long width = 1L << (msb - SUB_BITS);
        return lowerBound(index) + (width - 1) / 2;
    }

    /**
     * The {@code q} quantile (0..1) of the delays counted in {@code buckets}: the midpoint of the
     * bucket that holds it, kept within [{@code min}, {@code max}] (the exact extremes); 0 when empty.
     */
    public static long quantile(long[] buckets, double q, long min, long max) {
        long total = 0;
        for (long c : buckets) total += c;
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Math.max(min, Math.min(max, midpoint(i)));
            }
        }
        return max;
    }
}
