package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** HdrDelayCounts reads as the HdrHistogram (2 significant digits) it replaced, delay for delay. */
class HdrDelayCountsTest {
    private static final double[] PERCENTILES = {0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};

    @Test
    void percentilesAndCountsEqualHdrHistogramsOverManyDistributions() {
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 300; round++) {
            HdrDelayCounts buckets = new HdrDelayCounts();
            Histogram reference = new Histogram(HdrDelayCounts.SIGNIFICANT_DIGITS);
            int n = 1 + random.nextInt(round % 3 == 0 ? 20 : 5_000);
            // Spreads from a few ns to seconds, clustered and wide, with outliers on both sides.
            long centre = 1L << random.nextInt(1, 34);
            long spread = Math.max(1, centre >> random.nextInt(0, 8));
            for (int i = 0; i < n; i++) {
                long delay = random.nextInt(50) == 0 ? random.nextLong(1L << random.nextInt(1, 40))
                        : Math.max(0, centre + (long) (random.nextGaussian() * spread));
                buckets.record(delay);
                reference.recordValue(delay);
            }
            assertEquals(reference.getTotalCount(), buckets.totalCount());
            for (double p : PERCENTILES) {
                assertEquals(reference.getValueAtPercentile(p), buckets.valueAtPercentile(p),
                        "round " + round + ", " + n + " delays around " + centre + ", p" + p);
            }
            Histogram copy = buckets.toHistogram();
            assertEquals(reference, copy, "round " + round + ": the histogram built from the buckets");
            assertEquals(reference.getMaxValue(), copy.getMaxValue());
            assertEquals(reference.getMinValue(), copy.getMinValue());
            assertEquals(reference.getMean(), copy.getMean(), 0.0);
        }
    }

    @Test
    void anEmptyWindowReadsAsAnEmptyHistogram() {
        HdrDelayCounts buckets = new HdrDelayCounts();
        assertEquals(new Histogram(HdrDelayCounts.SIGNIFICANT_DIGITS).getValueAtPercentile(50), buckets.valueAtPercentile(50));
        assertEquals(0, buckets.toHistogram().getTotalCount());
    }

    @Test
    void bucketIndexesAreHdrHistogramsAtEveryPowerOfTwo() {
        Histogram reference = new Histogram(HdrDelayCounts.SIGNIFICANT_DIGITS);
        for (int shift = 0; shift < 62; shift++) {
            for (long v : new long[] {(1L << shift) - 1, 1L << shift, (1L << shift) + 1, (3L << shift) / 2}) {
                assertEquals(reference.lowestEquivalentValue(v), HdrDelayCounts.lowestValueOf(HdrDelayCounts.indexOf(v)), "value " + v);
            }
        }
    }
}
