package io.vnettracer.sinks.report;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.Percentiles.Rank;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The paper's Figure 2(a) for one study: the cases side by side, and in each case a pair of bars
 * per percentile, sockperf's beside the tracer's.
 */
final class LatencyChart {
    private static final double WIDTH = 960;
    private static final double HEIGHT = 400;
    private static final double LEFT = 78;
    private static final double RIGHT = 16;
    private static final double TOP = 44;
    private static final double BOTTOM = 74;
    /** Of a case's width, what the space between cases takes. */
    private static final double CASE_GAP = 0.16;
    /** Of a percentile's width, what its two bars take. */
    private static final double PAIR_FILL = 0.72;

    private LatencyChart() {}

    static String draw(String studyTitle, List<CaseRun> cases) {
        ValueAxis axis = ValueAxis.covering(allValues(cases));
        Svg svg = new Svg(WIDTH, HEIGHT, "chart latency-chart",
                "Latency percentiles of " + studyTitle + ", sockperf beside vNetTracer, per case");
        double plotTop = TOP;
        double plotBottom = HEIGHT - BOTTOM;
        double plotLeft = LEFT;
        double plotRight = WIDTH - RIGHT;

        for (double tick : axis.ticks()) {
            double y = plotBottom - axis.fraction(tick) * (plotBottom - plotTop);
            svg.line(plotLeft, y, plotRight, y, "grid");
            svg.text(plotLeft - 6, y + 4, "end", "tick", Figures.tick(tick));
        }
        svg.line(plotLeft, plotBottom, plotRight, plotBottom, "axis");
        svg.line(plotLeft, plotTop, plotLeft, plotBottom, "axis");
        svg.verticalText(16, (plotTop + plotBottom) / 2, "axis-title",
                axis.logarithmic() ? "latency (log scale)" : "latency");

        double caseWidth = (plotRight - plotLeft) / cases.size();
        double rankWidth = caseWidth * (1 - CASE_GAP) / Percentiles.RANKS.size();
        double barWidth = rankWidth * PAIR_FILL / 2;
        for (int c = 0; c < cases.size(); c++) {
            CaseRun run = cases.get(c);
            double caseLeft = plotLeft + c * caseWidth + caseWidth * CASE_GAP / 2;
            for (Rank rank : Percentiles.RANKS) {
                double pairLeft = caseLeft + rank.ordinal() * rankWidth + rankWidth * (1 - PAIR_FILL) / 2;
                bar(svg, axis, pairLeft, barWidth, plotTop, plotBottom,
                        run.spec().sockperf().latencyUs().of(rank), Palette.SOCKPERF,
                        "Case " + run.spec().id() + ", " + rank.label() + ", sockperf (half-round-trip)");
                bar(svg, axis, pairLeft + barWidth, barWidth, plotTop, plotBottom,
                        run.tracer().latencyUs().of(rank), Palette.TRACER,
                        "Case " + run.spec().id() + ", " + rank.label() + ", vNetTracer (" + run.tracer().kind().text() + ")");
                svg.text(pairLeft + barWidth, plotBottom + 15, "middle", "tick", rank.label());
            }
            double middle = plotLeft + (c + 0.5) * caseWidth;
            svg.text(middle, plotBottom + 36, "middle", "case-label", "Case " + run.spec().id());
            svg.text(middle, plotBottom + 53, "middle", "case-title",
                    shorten(run.spec().title(), (int) (caseWidth / 6.5)));
            if (c > 0) {
                double x = plotLeft + c * caseWidth;
                svg.line(x, plotBottom, x, plotBottom + 58, "separator");
            }
        }
        legend(svg, plotRight, cases);
        return svg.finish();
    }

    private static void bar(Svg svg, ValueAxis axis, double x, double width, double top, double bottom,
                            double value, String color, String what) {
        if (Double.isNaN(value)) {
            svg.text(x + width / 2, bottom - 4, "middle", "missing", "n/a");
            return;
        }
        double height = axis.fraction(value) * (bottom - top);
        svg.rect(x, bottom - height, width, height, color, what + ": " + Figures.micros(value));
    }

    private static void legend(Svg svg, double right, List<CaseRun> cases) {
        Set<String> kinds = new TreeSet<>();
        cases.forEach(c -> kinds.add(c.tracer().kind().text()));
        String tracer = "vNetTracer (" + String.join(" / ", kinds) + ")";
        String sockperf = "sockperf (half-round-trip)";
        double tracerWidth = 22 + tracer.length() * 7;
        double sockperfWidth = 22 + sockperf.length() * 7 + 18;
        double x = right - tracerWidth - sockperfWidth;
        svg.rect(x, 14, 14, 14, Palette.SOCKPERF, null);
        svg.text(x + 20, 26, "start", "legend", sockperf);
        x += sockperfWidth;
        svg.rect(x, 14, 14, 14, Palette.TRACER, null);
        svg.text(x + 20, 26, "start", "legend", tracer);
    }

    private static double[] allValues(List<CaseRun> cases) {
        List<Double> values = new ArrayList<>();
        for (CaseRun c : cases) {
            for (Rank r : Percentiles.RANKS) {
                values.add(c.spec().sockperf().latencyUs().of(r));
                values.add(c.tracer().latencyUs().of(r));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String shorten(String text, int maxChars) {
        if (text.length() <= maxChars || maxChars < 2) {
            return text;
        }
        return text.substring(0, maxChars - 1).strip() + "…";
    }
}
