package io.vnettracer.sinks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The value axis of a bar chart, in microseconds. Logarithmic when the values span more than
 * {@link #LOG_RATIO} (a congested tail next to an idle median would flatten the median to nothing
 * on a linear axis), linear from 0 otherwise. Ticks are 1-2-5 multiples of powers of ten.
 */
final class ValueAxis {
    static final double LOG_RATIO = 20;
    private static final int LINEAR_TICKS_WANTED = 5;

    private final boolean logarithmic;
    private final double min;
    private final double max;
    private final List<Double> ticks;

    private ValueAxis(boolean logarithmic, double min, double max, List<Double> ticks) {
        this.logarithmic = logarithmic;
        this.min = min;
        this.max = max;
        this.ticks = List.copyOf(ticks);
    }

    /** An axis for these values; NaNs are left out, and so are zeros when choosing a log scale. */
    static ValueAxis covering(double... values) {
        double smallestPositive = Double.POSITIVE_INFINITY;
        double largest = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            largest = Math.max(largest, v);
            if (v > 0) {
                smallestPositive = Math.min(smallestPositive, v);
            }
        }
        if (largest <= 0) {
            return linear(1);
        }
        if (largest / smallestPositive > LOG_RATIO) {
            return logarithmic(smallestPositive, largest);
        }
        return linear(largest);
    }

    private static ValueAxis linear(double largest) {
        double step = niceStep(largest / LINEAR_TICKS_WANTED);
        double top = Math.ceil(largest / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; i * step <= top + step / 2; i++) {
            ticks.add(i * step);
        }
        return new ValueAxis(false, 0, top, ticks);
    }

    private static ValueAxis logarithmic(double smallest, double largest) {
        int low = (int) Math.floor(Math.log10(smallest) + 1e-9);
        int high = (int) Math.ceil(Math.log10(largest) - 1e-9);
        if (high <= low) {
            high = low + 1;
        }
        // With many decades, 2 and 5 between powers of ten crowd the labels.
        int[] multiples = high - low > 3 ? new int[] {1} : new int[] {1, 2, 5};
        List<Double> ticks = new ArrayList<>();
        for (int e = low; e <= high; e++) {
            for (int m : multiples) {
                double t = m * Math.pow(10, e);
                if (e < high || m == 1) {
                    ticks.add(t);
                }
            }
        }
        return new ValueAxis(true, Math.pow(10, low), Math.pow(10, high), ticks);
    }

    /** The 1-2-5 multiple of a power of ten at or above {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= rough * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    boolean logarithmic() {
        return logarithmic;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    List<Double> ticks() {
        return ticks;
    }

    /** Where {@code value} sits, from 0 (the axis' bottom) to 1 (its top), clamped. */
    double fraction(double value) {
        double f;
        if (logarithmic) {
            if (value <= min) {
                return 0;
            }
            f = (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        } else {
            f = (value - min) / (max - min);
        }
        return Math.max(0, Math.min(1, f));
    }
}
