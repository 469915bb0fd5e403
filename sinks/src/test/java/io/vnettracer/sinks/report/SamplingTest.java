package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void aCdfEndsAtTheMaximumAndClimbsToOne() {
        double[] values = new double[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = values.length - i;
        }
        double[][] cdf = Sampling.cdf(values);
        assertEquals(Sampling.CDF_POINTS + 1, cdf.length);
        assertEquals(1, cdf[0][0]);
        assertEquals(0, cdf[0][1]);
        assertEquals(10_000, cdf[cdf.length - 1][0]);
        assertEquals(1, cdf[cdf.length - 1][1]);
        assertEquals(5_000, cdf[Sampling.CDF_POINTS / 2][0], "the median half way");
        for (int i = 1; i < cdf.length; i++) {
            assertTrue(cdf[i][0] >= cdf[i - 1][0] && cdf[i][1] > cdf[i - 1][1]);
        }
    }

    @Test
    void aTimelineKeepsEverySpikeWithinItsBound() {
        int n = 50_000;
        double[] times = new double[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            times[i] = 100 + i * 0.001;
            values[i] = i % 997 == 0 ? 10_000 : 50 + i % 7;
        }
        double[][] points = Sampling.timeline(times, values);
        assertTrue(points.length <= Sampling.TIMELINE_POINTS, points.length + " points");
        long spikes = Arrays.stream(points).filter(p -> p[1] == 10_000).count();
        assertEquals(n / 997 + 1, spikes, "every spike is the highest of its slice");
        assertEquals(0, Arrays.stream(points).mapToDouble(p -> p[0]).min().orElseThrow(), "time counts from the first message");
        assertEquals(50, Arrays.stream(points).mapToDouble(p -> p[1]).min().orElseThrow());
    }

    @Test
    void aShortRunIsDrawnWhole() {
        double[][] points = Sampling.timeline(new double[] {2, 1, 3}, new double[] {5, 6, 7});
        assertEquals(3, points.length);
        assertEquals(1, points[0][0]);
    }
}
