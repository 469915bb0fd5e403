package io.vnettracer.sinks.report;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Bounded subsets of a run's messages for the charts, so the page stays small however long the run:
 * a CDF needs only its quantiles, and latency over time keeps, per run of consecutive messages, its
 * lowest and highest, which keeps both the floor and every spike a person would look for.
 */
final class Sampling {
    /** Points of one CDF curve. */
    static final int CDF_POINTS = 500;
    /** Points of one case's latency over time, at most. */
    static final int TIMELINE_POINTS = 2000;

    private Sampling() {}

    /** (value, cumulative fraction) pairs: the value below which that fraction of the messages lies. */
    static double[][] cdf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return new double[0][];
        }
        int points = Math.min(n, CDF_POINTS);
        double[][] out = new double[points + 1][];
        out[0] = new double[] {sorted[0], 0};
        for (int i = 1; i <= points; i++) {
            // The i-th step ends at the message whose rank is i/points of the way; the last is the maximum.
            int rank = (int) Math.ceil((double) i * n / points);
            out[i] = new double[] {sorted[rank - 1], (double) rank / n};
        }
        return out;
    }

    /**
     * (time, value) pairs with time counted from the first message: every message when there are at
     * most {@link #TIMELINE_POINTS}; otherwise the messages, in the order they were sent, are cut into
     * half that many runs of consecutive messages and each run gives its lowest and its highest. Runs
     * of messages rather than slices of time: messages bunch in time (thousands in the burst after a
     * queue drains), and equal slices of time would leave most of the bound unused.
     */
    static double[][] timeline(double[] times, double[] values) {
        int n = times.length;
        if (n == 0) {
            return new double[0][];
        }
        double start = Arrays.stream(times).min().orElseThrow();
        Integer[] bySendTime = new Integer[n];
        for (int i = 0; i < n; i++) {
            bySendTime[i] = i;
        }
        Arrays.sort(bySendTime, Comparator.comparingDouble(i -> times[i]));
        int groups = n <= TIMELINE_POINTS ? n : TIMELINE_POINTS / 2;
        double[][] out = new double[Math.min(n, 2 * groups)][];
        int k = 0;
        for (int g = 0; g < groups; g++) {
            int from = (int) ((long) g * n / groups);
            int to = (int) ((long) (g + 1) * n / groups);
            int low = bySendTime[from];
            int high = low;
            for (int j = from + 1; j < to; j++) {
                int i = bySendTime[j];
                low = values[i] < values[low] ? i : low;
                high = values[i] > values[high] ? i : high;
            }
            // In send order, so the points of a group stay in time order.
            for (int i : low == high ? new int[] {low} : new int[] {Math.min(low, high), Math.max(low, high)}) {
                out[k++] = new double[] {times[i] - start, values[i]};
            }
        }
        return Arrays.copyOf(out, k);
    }
}
