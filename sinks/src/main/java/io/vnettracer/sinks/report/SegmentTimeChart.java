package io.vnettracer.sinks.report;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.SummaryDocument.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * The decomposition in absolute time: per case, one bar per segment at its mean with a mark at its
 * p99, and the flow's end to end, all on one time axis for the study. Shares hide that Case I's
 * 50 µs and Case III's 15 ms are different worlds; this shows it. The axis is the report's
 * {@link ValueAxis}, logarithmic when the times span more than its ratio (they usually do: a
 * microsecond hop beside a millisecond queue).
 */
final class SegmentTimeChart {
    private static final double WIDTH = 960;
    private static final double LABEL_RIGHT = 226;
    private static final double BAR_LEFT = 236;
    private static final double BAR_RIGHT = 770;
    private static final double VALUE_LEFT = 780;
    private static final double TOP = 58;
    private static final double CASE_HEADER = 24;
    private static final double ROW = 18;
    private static final double BAR_HEIGHT = 12;
    private static final double CASE_GAP = 10;
    private static final String END_TO_END = "end to end";

    private SegmentTimeChart() {}

    static String draw(String studyTitle, List<CaseRun> cases, Palette palette) {
        ValueAxis axis = ValueAxis.covering(allTimesUs(cases));
        double height = TOP + 6;
        for (CaseRun c : cases) {
            height += CASE_HEADER + (c.segments().size() + 1) * ROW + CASE_GAP;
        }
        Svg svg = new Svg(WIDTH, height, "chart segment-time-chart", "Mean and p99 of each segment in absolute time, "
                + studyTitle + ", per case");
        double span = BAR_RIGHT - BAR_LEFT;
        for (double tick : axis.ticks()) {
            double x = BAR_LEFT + axis.fraction(tick) * span;
            svg.line(x, TOP - 6, x, height - CASE_GAP, "grid");
            svg.text(x, TOP - 12, "middle", "tick", Figures.tick(tick));
        }
        // Above the tick labels: the last tick's label reaches into this column.
        svg.text(VALUE_LEFT, TOP - 40, "start", "tick", "mean · p99");
        svg.text(VALUE_LEFT, TOP - 26, "start", "tick", axis.logarithmic() ? "(log scale)" : "(linear scale)");

        double y = TOP;
        for (CaseRun c : cases) {
            String caseName = "Case " + c.spec().id();
            svg.text(LABEL_RIGHT, y + 16, "end", "case-label", caseName);
            svg.text(BAR_LEFT, y + 16, "start", "case-title", c.spec().title());
            y += CASE_HEADER;
            for (Segment s : c.segments()) {
                row(svg, axis, y, s.label(), palette.segment(s.label()), s.meanNs() / 1e3, s.p99Ns() / 1e3, caseName);
                y += ROW;
            }
            SummaryDocument.FlowLatency e2e = c.flow().latencyNs();
            row(svg, axis, y, END_TO_END, Palette.NEUTRAL, e2e.mean() / 1e3, e2e.p99() / 1e3, caseName);
            y += ROW + CASE_GAP;
        }
        return svg.finish();
    }

    private static void row(Svg svg, ValueAxis axis, double y, String label, String color, double meanUs, double p99Us,
                            String caseName) {
        double span = BAR_RIGHT - BAR_LEFT;
        double top = y + (ROW - BAR_HEIGHT) / 2;
        svg.text(LABEL_RIGHT, y + 13, "end", label.equals(END_TO_END) ? "segment-total" : "segment-label", label);
        svg.rect(BAR_LEFT, top, axis.fraction(meanUs) * span, BAR_HEIGHT, color,
                caseName + ", " + label + ": mean " + Figures.micros(meanUs) + ", p99 " + Figures.micros(p99Us));
        double p99 = BAR_LEFT + axis.fraction(p99Us) * span;
        svg.line(p99, top - 2, p99, top + BAR_HEIGHT + 2, "p99-mark");
        svg.text(VALUE_LEFT, y + 13, "start", "value-small", Figures.micros(meanUs) + " · " + Figures.micros(p99Us));
    }

    private static double[] allTimesUs(List<CaseRun> cases) {
        List<Double> values = new ArrayList<>();
        for (CaseRun c : cases) {
            for (Segment s : c.segments()) {
                values.add(s.meanNs() / 1e3);
                values.add(s.p99Ns() / 1e3);
            }
            values.add(c.flow().latencyNs().mean() / 1e3);
            values.add(c.flow().latencyNs().p99() / 1e3);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
