package io.vnettracer.sinks.report;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * Each message's latency against when it was sent, one panel per case: where a CDF shows how
 * often, this shows when (bursts, periodic stalls, a slow start). The panels of a study share one
 * latency axis so that cases compare at a glance; a panel draws at most
 * {@link Sampling#TIMELINE_POINTS} messages (the lowest and highest of runs of consecutive messages).
 */
final class TimelineChart {
    private static final double WIDTH = 960;
    private static final double HEIGHT = 210;
    private static final double LEFT = 78;
    private static final double RIGHT = 16;
    private static final double TOP = 26;
    private static final double BOTTOM = 48;

    private TimelineChart() {}

    /** One panel per case that has its messages, each an SVG; the empty string when none has. */
    static String draw(List<CaseRun> cases) {
        ValueAxis latency = ValueAxis.covering(extremes(cases));
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < cases.size(); c++) {
            CaseRun run = cases.get(c);
            MessageLog m = run.messages();
            if (m == null || m.size() == 0) {
                continue;
            }
            double[][] points = Sampling.timeline(m.txTimeS(), m.sockperfUs());
            double duration = 0;
            for (double[] p : points) {
                duration = Math.max(duration, p[0]);
            }
            ValueAxis time = ValueAxis.covering(duration);
            XyFrame frame = new XyFrame(LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM, time, latency);
            String caseName = "Case " + run.spec().id();
            Svg svg = new Svg(WIDTH, HEIGHT, "chart timeline-chart", caseName + ": sockperf's latency of each message "
                    + "against its send time");
            frame.draw(svg, s -> s == 0 ? "0" : Figures.tick(s * 1_000_000), "time since the first message",
                    Figures::tick, XyFrame.latencyTitle(latency, "latency"));
            svg.text(LEFT + 4, TOP - 8, "start", "case-label", caseName);
            svg.text(LEFT + 14 + 9 * caseName.length(), TOP - 8, "start", "case-title", run.spec().title() + " — "
                    + (points.length < m.size() ? Figures.count(points.length) + " of " + Figures.count(m.size())
                            + " messages drawn: the lowest and highest of each run of "
                            + "consecutive messages"
                            : "all " + Figures.count(m.size()) + " messages"));
            svg.path(Svg.pathData(frame.place(points), true), "dots", Palette.caseColor(c), points.length,
                    caseName + ": " + Figures.count(m.size()) + " messages, sockperf's half round trip");
            out.append(svg.finish());
        }
        return out.toString();
    }

    /** Each case's lowest and highest latency: all the shared axis needs to cover. */
    private static double[] extremes(List<CaseRun> cases) {
        return cases.stream().map(CaseRun::messages).filter(m -> m != null && m.size() > 0)
                .flatMapToDouble(m -> DoubleStream.of(DoubleStream.of(m.sockperfUs()).min().orElseThrow(),
                        DoubleStream.of(m.sockperfUs()).max().orElseThrow()))
                .toArray();
    }
}
