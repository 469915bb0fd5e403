package io.vnettracer.sinks.report;

import static io.vnettracer.sinks.report.Markup.escape;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.Percentiles.Rank;
import io.vnettracer.sinks.report.SummaryDocument.Drop;
import io.vnettracer.sinks.report.SummaryDocument.Flow;
import io.vnettracer.sinks.report.SummaryDocument.Segment;
import java.util.List;

/** The numbers under each chart, as HTML tables. */
final class ReportTables {
    private ReportTables() {}

    /** Per case and percentile: sockperf, vNetTracer and their difference. */
    static String latency(List<CaseRun> cases) {
        StringBuilder t = new StringBuilder();
        t.append("<div class=\"table-wrap\">\n<table class=\"latency-table\">\n<thead><tr><th>Case</th><th>Percentile</th>")
                .append("<th class=\"num\"><span class=\"swatch\" style=\"background:").append(Palette.SOCKPERF)
                .append("\"></span>sockperf</th>")
                .append("<th class=\"num\"><span class=\"swatch\" style=\"background:").append(Palette.TRACER)
                .append("\"></span>vNetTracer</th>")
                .append("<th class=\"num\">sockperf − vNetTracer</th></tr></thead>\n<tbody>\n");
        for (CaseRun c : cases) {
            DemoIndex.Sockperf sockperf = c.spec().sockperf();
            DemoIndex.Tracer tracer = c.tracer();
            boolean first = true;
            for (Rank rank : Percentiles.RANKS) {
                t.append("<tr").append(first ? " class=\"case-start\"" : "").append('>');
                if (first) {
                    t.append("<th scope=\"rowgroup\" rowspan=\"").append(Percentiles.RANKS.size()).append("\">")
                            .append("Case ").append(escape(c.spec().id())).append(" <span class=\"case-title\">")
                            .append(escape(c.spec().title())).append("</span><div class=\"note\">sockperf: half round trip, mean ")
                            .append(Figures.micros(sockperf.meanUs())).append(", ")
                            .append(Figures.count(sockperf.observations())).append(" observations<br>vNetTracer: ")
                            .append(tracer.kind().text())
                            .append(c.tracerFromSummary() ? ", from the summary's flow" : "")
                            .append("</div></th>");
                    first = false;
                }
                double s = sockperf.latencyUs().of(rank);
                double v = tracer.latencyUs().of(rank);
                t.append("<td>").append(rank.label()).append("</td>")
                        .append(numeric(Figures.micros(s)))
                        .append(numeric(Figures.micros(v)))
                        .append(numeric(Figures.signedMicros(s - v)))
                        .append("</tr>\n");
            }
        }
        return t.append("</tbody>\n</table>\n</div>\n").toString();
    }

    /** Per case: the measured flow, its segments and the end-to-end figures. */
    static String segments(List<CaseRun> cases, Palette palette) {
        StringBuilder t = new StringBuilder();
        t.append("<div class=\"table-wrap\">\n<table class=\"segments-table\">\n<thead><tr><th>Segment</th><th class=\"num\">Packets</th>")
                .append("<th class=\"num\">Lost</th><th class=\"num\">Mean</th><th class=\"num\">p50</th>")
                .append("<th class=\"num\">p99</th><th class=\"num\">Share</th></tr></thead>\n");
        for (CaseRun c : cases) {
            Flow f = c.flow();
            t.append("<tbody>\n<tr class=\"case-row\"><th colspan=\"7\" scope=\"rowgroup\">Case ")
                    .append(escape(c.spec().id())).append(" <span class=\"case-title\">")
                    .append(escape(c.spec().title())).append("</span><div class=\"note\"><code>")
                    .append(escape(f.name())).append("</code> in ").append(escape(c.summary().file()))
                    .append(": sent ").append(Figures.count(f.sent()))
                    .append(", received ").append(Figures.count(f.received()))
                    .append(", lost ").append(Figures.count(f.lost())).append(" (").append(Figures.percent(f.lossRate()))
                    .append("), jitter ").append(Figures.nanos(f.jitterNs()))
                    .append(", throughput ").append(Figures.bitsPerSecond(f.throughputBps()));
            if (c.summary().eventsLost() > 0) {
                t.append("<br><strong>").append(Figures.count(c.summary().eventsLost()))
                        .append(" events lost in ring buffers</strong>: some journeys are incomplete");
            }
            t.append("</div></th></tr>\n");
            for (Segment s : c.segments()) {
                t.append("<tr><td class=\"segment\"><span class=\"swatch\" style=\"background:").append(palette.segment(s.label()))
                        .append("\"></span>").append(escape(s.label())).append("</td>")
                        .append(numeric(Figures.count(s.packets())))
                        .append(numeric(Figures.count(s.lost())))
                        .append(numeric(Figures.nanos(s.meanNs())))
                        .append(numeric(Figures.nanos(s.p50Ns())))
                        .append(numeric(Figures.nanos(s.p99Ns())))
                        .append(numeric(Figures.percent(s.share())))
                        .append("</tr>\n");
            }
            if (c.segments().isEmpty()) {
                t.append("<tr><td colspan=\"7\" class=\"note\">no segments: the flow was seen by one probe only</td></tr>\n");
            }
            t.append("<tr class=\"total\"><td>end to end</td>")
                    .append(numeric(Figures.count(f.received())))
                    .append(numeric(Figures.count(f.lost())))
                    .append(numeric(Figures.nanos(f.latencyNs().mean())))
                    .append(numeric(Figures.nanos(f.latencyNs().p50())))
                    .append(numeric(Figures.nanos(f.latencyNs().p99())))
                    .append(numeric(Figures.percent(c.totalShare())))
                    .append("</tr>\n</tbody>\n");
        }
        return t.append("</table>\n</div>\n").toString();
    }

    /** Drops of every case's summary, or the empty string when there are none. */
    static String drops(List<CaseRun> cases) {
        if (cases.stream().allMatch(c -> c.summary().drops().isEmpty())) {
            return "";
        }
        StringBuilder t = new StringBuilder();
        t.append("<div class=\"table-wrap\">\n<table class=\"drops-table\">\n<thead><tr><th>Case</th><th>Where</th><th>Reason</th>")
                .append("<th class=\"num\">Packets</th></tr></thead>\n<tbody>\n");
        for (CaseRun c : cases) {
            for (Drop d : c.summary().drops()) {
                t.append("<tr><td>Case ").append(escape(c.spec().id())).append("</td><td>").append(escape(d.where()))
                        .append("</td><td><code>").append(escape(d.reason())).append("</code></td>")
                        .append(numeric(Figures.count(d.count()))).append("</tr>\n");
            }
        }
        return t.append("</tbody>\n</table>\n</div>\n").toString();
    }

    private static String numeric(String text) {
        return "<td class=\"num\">" + escape(text) + "</td>";
    }
}
