package io.vnettracer.sinks.report;

import java.util.function.DoubleFunction;

/**
 * The plot area of a chart with a value on each axis (a CDF, latency over time): where it sits in
 * the drawing, its grid, ticks and axis titles, and the mapping of values to coordinates.
 */
final class XyFrame {
    /** Tick labels closer than this (12 px text) would touch. */
    private static final double MIN_LABEL_HEIGHT = 16;
    private static final double MIN_LABEL_WIDTH = 56;
    private final double left;
    private final double top;
    private final double right;
    private final double bottom;
    private final ValueAxis x;
    private final ValueAxis y;

    XyFrame(double left, double top, double right, double bottom, ValueAxis x, ValueAxis y) {
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
        this.x = x;
        this.y = y;
    }

    double x(double value) {
        return left + x.fraction(value) * (right - left);
    }

    double y(double value) {
        return bottom - y.fraction(value) * (bottom - top);
    }

    /** The (x, y) values as drawing coordinates. */
    double[][] place(double[][] values) {
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = new double[] {x(values[i][0]), y(values[i][1])};
        }
        return out;
    }

    void draw(Svg svg, DoubleFunction<String> xTick, String xTitle, DoubleFunction<String> yTick, String yTitle) {
        // Every tick has its grid line; a label only where it does not run into the previous one
        // (a short panel over three decades has more 1-2-5 ticks than room for their labels).
        double lastLabel = Double.POSITIVE_INFINITY;
        for (double t : y.ticks()) {
            svg.line(left, y(t), right, y(t), "grid");
            if (lastLabel - y(t) >= MIN_LABEL_HEIGHT) {
                svg.text(left - 6, y(t) + 4, "end", "tick", yTick.apply(t));
                lastLabel = y(t);
            }
        }
        lastLabel = Double.NEGATIVE_INFINITY;
        for (double t : x.ticks()) {
            svg.line(x(t), top, x(t), bottom, "grid");
            if (x(t) - lastLabel >= MIN_LABEL_WIDTH) {
                svg.text(x(t), bottom + 16, "middle", "tick", xTick.apply(t));
                lastLabel = x(t);
            }
        }
        svg.line(left, bottom, right, bottom, "axis");
        svg.line(left, top, left, bottom, "axis");
        svg.text((left + right) / 2, bottom + 36, "middle", "axis-title", xTitle);
        svg.verticalText(16, (top + bottom) / 2, "axis-title", yTitle);
    }

    /** "latency" with the scale named when it is logarithmic, as every axis of the report says it. */
    static String latencyTitle(ValueAxis axis, String what) {
        return axis.logarithmic() ? what + " (log scale)" : what;
    }
}
