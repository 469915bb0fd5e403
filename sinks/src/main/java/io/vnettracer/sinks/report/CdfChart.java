package io.vnettracer.sinks.report;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import java.util.ArrayList;
import java.util.List;

/**
 * The latency CDFs of one study, as the paper draws them: one curve per case over its messages,
 * sockperf's solid and the tracer's (the same messages) dashed, in the case's color. The latency
 * axis is the report's {@link ValueAxis}: logarithmic when the curves span more than its ratio.
 */
final class CdfChart {
    private static final double WIDTH = 960;
    private static final double HEIGHT = 380;
    private static final double LEFT = 78;
    private static final double RIGHT = 190;
    private static final double TOP = 20;
    private static final double BOTTOM = 54;
    private static final double LEGEND_ROW = 20;

    private CdfChart() {}

    /** Whether any case of the study has its messages, i.e. whether there is a curve to draw. */
    static boolean drawable(List<CaseRun> cases) {
        return cases.stream().anyMatch(c -> c.messages() != null && c.messages().size() > 0);
    }

    static String draw(String studyTitle, List<CaseRun> cases) {
        List<Curve> curves = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            MessageLog m = cases.get(c).messages();
            if (m == null || m.size() == 0) {
                continue;
            }
            String color = Palette.caseColor(c);
            String caseName = "Case " + cases.get(c).spec().id();
            curves.add(new Curve(caseName, "sockperf", color, "curve", Sampling.cdf(m.sockperfUs()), m.size()));
            if (m.tracerUs() != null) {
                curves.add(new Curve(caseName, "vNetTracer", color, "curve tracer-curve", Sampling.cdf(m.tracerUs()),
                        m.size()));
            }
        }
        List<Double> latencies = new ArrayList<>();
        curves.forEach(c -> {
            latencies.add(c.points()[0][0]);
            latencies.add(c.points()[c.points().length - 1][0]);
        });
        ValueAxis x = ValueAxis.covering(latencies.stream().mapToDouble(Double::doubleValue).toArray());
        ValueAxis y = ValueAxis.covering(1);
        XyFrame frame = new XyFrame(LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM, x, y);
        Svg svg = new Svg(WIDTH, HEIGHT, "chart cdf-chart", "Latency CDF per case of " + studyTitle
                + ", sockperf solid, vNetTracer dashed");
        frame.draw(svg, Figures::tick, XyFrame.latencyTitle(x, "latency, half round trip"),
                f -> Math.round(f * 100) + "%", "messages at or below");
        for (Curve c : curves) {
            svg.path(Svg.pathData(frame.place(c.points()), false), c.cssClass(), c.color(), c.points().length,
                    c.caseName() + ", " + c.tool() + ": CDF of " + Figures.count(c.messages()) + " messages");
        }
        legend(svg, cases);
        return svg.finish();
    }

    private static void legend(Svg svg, List<CaseRun> cases) {
        double x = WIDTH - RIGHT + 22;
        double y = TOP + 8;
        for (int c = 0; c < cases.size(); c++) {
            String color = Palette.caseColor(c);
            svg.path("M" + Figures.coordinate(x) + " " + Figures.coordinate(y - 4) + "h22", "legend-line", color, 2, null);
            svg.text(x + 30, y, "start", "legend", "Case " + cases.get(c).spec().id());
            y += LEGEND_ROW;
        }
        y += LEGEND_ROW / 2;
        svg.path("M" + Figures.coordinate(x) + " " + Figures.coordinate(y - 4) + "h22", "legend-line", Palette.NEUTRAL, 2, null);
        svg.text(x + 30, y, "start", "legend", "sockperf");
        y += LEGEND_ROW;
        svg.path("M" + Figures.coordinate(x) + " " + Figures.coordinate(y - 4) + "h22", "legend-line tracer-curve",
                Palette.NEUTRAL, 2, null);
        svg.text(x + 30, y, "start", "legend", "vNetTracer");
    }

    private record Curve(String caseName, String tool, String color, String cssClass, double[][] points, long messages) {}
}
