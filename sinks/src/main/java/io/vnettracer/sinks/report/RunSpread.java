package io.vnettracer.sinks.report;

import static io.vnettracer.sinks.report.Markup.escape;

import io.vnettracer.sinks.report.DemoIndex.Run;
import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.Percentiles.Rank;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How much a case's figures move from run to run when the demo repeats it ({@code --repeat N}):
 * per case the median and the range of p50 and p99 over the runs, by sockperf and by the tracer.
 * One run says little about a tail: this says whether a difference between cases is larger than
 * the difference between two runs of one case.
 */
final class RunSpread {
    private static final List<Rank> SHOWN = List.of(Rank.P50, Rank.P99);

    private RunSpread() {}

    /** The table, or the empty string when no case ran more than once. */
    static String table(List<CaseRun> cases) {
        if (cases.stream().allMatch(c -> c.spec().runs().size() < 2)) {
            return "";
        }
        StringBuilder t = new StringBuilder();
        t.append("<div class=\"table-wrap\">\n<table class=\"spread-table\">\n<thead><tr><th>Case</th>")
                .append("<th class=\"num\">Runs</th>");
        for (String tool : List.of("sockperf", "vNetTracer")) {
            for (Rank r : SHOWN) {
                t.append("<th class=\"num\">").append(tool).append(' ').append(r.label()).append("<br>")
                        .append("<span class=\"note\">median<br>min – max</span></th>");
            }
        }
        t.append("</tr></thead>\n<tbody>\n");
        for (CaseRun c : cases) {
            List<Run> runs = c.spec().runs();
            if (runs.size() < 2) {
                continue;
            }
            t.append("<tr><th scope=\"row\">Case ").append(escape(c.spec().id())).append(" <span class=\"case-title\">")
                    .append(escape(c.spec().title())).append("</span></th><td class=\"num\">").append(runs.size())
                    .append("</td>");
            for (Function<Run, Percentiles> tool : List.<Function<Run, Percentiles>>of(Run::sockperfUs, Run::tracerUs)) {
                for (Rank r : SHOWN) {
                    double[] values = runs.stream().map(tool).filter(Objects::nonNull).mapToDouble(p -> p.of(r))
                            .filter(v -> !Double.isNaN(v)).sorted().toArray();
                    t.append("<td class=\"num\">").append(spread(values)).append("</td>");
                }
            }
            t.append("</tr>\n");
        }
        return t.append("</tbody>\n</table>\n</div>\n").toString();
    }

    /** The median over the range of sorted values, as HTML; a dash when there are none. */
    static String spread(double[] sorted) {
        if (sorted.length == 0) {
            return Figures.MISSING;
        }
        return escape(Figures.micros(median(sorted))) + "<br><span class=\"note\">"
                + escape(Figures.micros(sorted[0]) + " – " + Figures.micros(sorted[sorted.length - 1])) + "</span>";
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
