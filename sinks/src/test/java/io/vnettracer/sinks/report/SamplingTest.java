package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
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
        assertEquals(n / 997 + 1, spikes, "every spike is the highest of its run of messages");
        assertEquals(0, Arrays.stream(points).mapToDouble(p -> p[0]).min().orElseThrow(), "time counts from the first message");
        assertEquals(50, Arrays.stream(points).mapToDouble(p -> p[1]).min().orElseThrow());
    }

    /** As after a queue drains: a burst of fast messages at the end must not squeeze out the rest. */
    @Test
    void messagesBunchedInTimeStillFillTheBound() {
        int slow = 500;
        int burst = 2_000;
        double[] times = new double[slow + burst];
        double[] values = new double[slow + burst];
        for (int i = 0; i < slow; i++) {
            times[i] = i * 0.004;
            values[i] = 4_000 + i % 13;
        }
        for (int i = 0; i < burst; i++) {
            times[slow + i] = 2 + i * 0.000005;
            values[slow + i] = 10 + i % 5;
        }
        double[][] points = Sampling.timeline(times, values);
        assertTrue(points.length <= Sampling.TIMELINE_POINTS && points.length > 0.95 * Sampling.TIMELINE_POINTS,
                points.length + " points");
        assertTrue(Arrays.stream(points).filter(p -> p[0] < 2).count() > 0.7 * slow, "the slow part is still drawn");
    }

    @Test
    void aShortRunIsDrawnWhole() {
        double[][] points = Sampling.timeline(new double[] {2, 1, 3}, new double[] {5, 6, 7});
        assertEquals(3, points.length);
        assertEquals(List.of(0.0, 6.0, 1.0, 5.0, 2.0, 7.0),
                Arrays.stream(points).flatMapToDouble(Arrays::stream).boxed().toList(), "in send order");
    }
}
