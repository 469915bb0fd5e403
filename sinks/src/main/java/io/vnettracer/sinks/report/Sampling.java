package io.vnettracer.sinks.report;

import java.util.Arrays;

/**
 * Bounded subsets of a run's messages for the charts, so the page stays small however long the run:
 * a CDF needs only its quantiles, and latency over time keeps, per slice of time, its lowest and
 * highest message, which keeps both the floor and every spike a person would look for.
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
     * most {@link #TIMELINE_POINTS}; otherwise the run's duration is cut into slices, each giving its
     * lowest and its highest message, with as many slices as keep within the bound (messages bunch
     * in time, so a fixed number of slices would keep far fewer than it may).
     */
    static double[][] timeline(double[] times, double[] values) {
        int n = times.length;
        if (n == 0) {
            return new double[0][];
        }
        double start = Arrays.stream(times).min().orElseThrow();
        if (n <= TIMELINE_POINTS) {
            double[][] all = new double[n][];
            for (int i = 0; i < n; i++) {
                all[i] = new double[] {times[i] - start, values[i]};
            }
            return all;
        }
        double span = Math.max(Arrays.stream(times).max().orElseThrow() - start, Double.MIN_NORMAL);
        // Kept points grow with the number of slices, up to n: the most slices within the bound.
        int low = 1;
        int high = n;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (sliced(times, values, start, span, middle).length <= TIMELINE_POINTS) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return sliced(times, values, start, span, low);
    }

    private static double[][] sliced(double[] times, double[] values, double start, double span, int slices) {
        int[] low = new int[slices];
        int[] high = new int[slices];
        Arrays.fill(low, -1);
        Arrays.fill(high, -1);
        for (int i = 0; i < times.length; i++) {
            int s = Math.min(slices - 1, (int) ((times[i] - start) / span * slices));
            if (low[s] < 0 || values[i] < values[low[s]]) {
                low[s] = i;
            }
            if (high[s] < 0 || values[i] > values[high[s]]) {
                high[s] = i;
            }
        }
        double[][] out = new double[2 * slices][];
        int k = 0;
        for (int s = 0; s < slices; s++) {
            if (low[s] >= 0) {
                out[k++] = new double[] {times[low[s]] - start, values[low[s]]};
                if (high[s] != low[s]) {
                    out[k++] = new double[] {times[high[s]] - start, values[high[s]]};
                }
            }
        }
        return Arrays.copyOf(out, k);
    }
}
