package io.vnettracer.sinks.report;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.SummaryDocument.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's Figures 2(b) and 3 for one study: one bar per case, split into the measured flow's
 * segments by their share of the end-to-end latency, each segment in its report-wide color.
 */
final class DecompositionChart {
    private static final double WIDTH = 960;
    private static final double LABEL_WIDTH = 186;
    private static final double BAR_LEFT = 196;
    private static final double BAR_RIGHT = 806;
    private static final double TOP = 48;
    private static final double ROW = 38;
    private static final double BAR_HEIGHT = 28;
    private static final double LEGEND_ROW = 22;
    /** A share's percentage is written inside its piece when the piece is at least this wide. */
    private static final double MIN_LABELLED_WIDTH = 38;
    private static final double CHAR_WIDTH = 7;
    /** A case's title, in the smaller font, fits its label column in this many characters. */
    private static final int TITLE_CHARS = (int) ((LABEL_WIDTH - 6) / 6.8);

    private DecompositionChart() {}

    static String draw(String studyTitle, List<CaseRun> cases, Palette palette) {
        Map<String, String> legend = new LinkedHashMap<>();
        cases.forEach(c -> c.segments().forEach(s -> legend.put(s.label(), palette.segment(s.label()))));
        List<List<Map.Entry<String, String>>> legendRows = legendRows(legend);
        double barsBottom = TOP + cases.size() * ROW;
        double height = barsBottom + 18 + legendRows.size() * LEGEND_ROW + 6;

        Svg svg = new Svg(WIDTH, height, "chart decomposition-chart",
                "Share of the end-to-end latency per segment, " + studyTitle + ", per case");
        double span = BAR_RIGHT - BAR_LEFT;
        for (int p = 0; p <= 100; p += 25) {
            double x = BAR_LEFT + span * p / 100;
            svg.line(x, TOP - 6, x, barsBottom - (ROW - BAR_HEIGHT), "grid");
            svg.text(x, TOP - 12, "middle", "tick", p + "%");
        }
        svg.text(BAR_RIGHT + 30, TOP - 26, "start", "tick", "end-to-end");
        svg.text(BAR_RIGHT + 30, TOP - 12, "start", "tick", "mean, one-way");

        for (int c = 0; c < cases.size(); c++) {
            CaseRun run = cases.get(c);
            double y = TOP + c * ROW;
            svg.text(LABEL_WIDTH, y + 12, "end", "case-label", "Case " + run.spec().id());
            svg.text(LABEL_WIDTH, y + 26, "end", "case-title", LatencyChart.shorten(run.spec().title(), TITLE_CHARS));
            drawBar(svg, run, y, palette);
            svg.text(BAR_RIGHT + 30, y + 19, "start", "value",
                    Figures.nanos(run.flow().latencyNs().mean()));
        }

        double legendTop = barsBottom + 18;
        for (int r = 0; r < legendRows.size(); r++) {
            double x = BAR_LEFT;
            double y = legendTop + r * LEGEND_ROW;
            for (Map.Entry<String, String> entry : legendRows.get(r)) {
                svg.rect(x, y - 11, 14, 14, entry.getValue(), null);
                svg.text(x + 20, y + 1, "start", "legend", entry.getKey());
                x += legendItemWidth(entry.getKey());
            }
        }
        return svg.finish();
    }

    private static void drawBar(Svg svg, CaseRun run, double y, Palette palette) {
        double span = BAR_RIGHT - BAR_LEFT;
        double total = run.totalShare();
        if (run.segments().isEmpty() || total <= 0) {
            svg.outline(BAR_LEFT, y, span, BAR_HEIGHT, "empty-bar");
            svg.text(BAR_LEFT + span / 2, y + 19, "middle", "missing", run.segments().isEmpty()
                    ? "the flow has no segments (a path of one probe)"
                    : "no journey crossed the whole path: no shares");
            return;
        }
        double x = BAR_LEFT;
        for (Segment s : run.segments()) {
            // Shares add up to 1 within rounding; dividing by their sum closes the bar exactly.
            double width = span * s.share() / total;
            String color = palette.segment(s.label());
            svg.rect(x, y, width, BAR_HEIGHT, color, "Case " + run.spec().id() + ", " + s.label() + ": "
                    + Figures.percent(s.share()) + " of the end-to-end latency (segment mean "
                    + Figures.nanos(s.meanNs()) + ")");
            if (width >= MIN_LABELLED_WIDTH) {
                svg.text(x + width / 2, y + 19, "middle", "share", Palette.textOn(color), Figures.percent(s.share()));
            }
            x += width;
        }
    }

    private static double legendItemWidth(String label) {
        return 20 + label.length() * CHAR_WIDTH + 24;
    }

    private static List<List<Map.Entry<String, String>>> legendRows(Map<String, String> legend) {
        List<List<Map.Entry<String, String>>> rows = new ArrayList<>();
        List<Map.Entry<String, String>> row = new ArrayList<>();
        double used = 0;
        for (Map.Entry<String, String> e : legend.entrySet()) {
            double w = legendItemWidth(e.getKey());
            if (!row.isEmpty() && BAR_LEFT + used + w > WIDTH - 10) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(e);
            used += w;
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }
}
