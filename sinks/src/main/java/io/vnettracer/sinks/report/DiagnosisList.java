package io.vnettracer.sinks.report;

import static io.vnettracer.sinks.report.Markup.escape;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.SummaryDocument.Finding;
import java.util.List;

/**
 * The diagnosis of each case (the summary's {@code diagnosis}, docs/DIAGNOSE.md) as a short ranked
 * list: which segment, what share, the likely cause and the kernel's evidence. Summaries written
 * before the diagnosis existed have none, and then the report says nothing about it.
 */
final class DiagnosisList {
    private DiagnosisList() {}

    /** The lists of every case that has findings, or the empty string when none has. */
    static String of(List<CaseRun> cases, Palette palette) {
        StringBuilder out = new StringBuilder();
        for (CaseRun c : cases) {
            List<Finding> findings = c.summary().diagnosisOf(c.flow());
            if (findings.isEmpty()) {
                continue;
            }
            out.append("<div class=\"diagnosis\"><h4>Case ").append(escape(c.spec().id()))
                    .append(" <span class=\"case-title\">").append(escape(c.spec().title())).append("</span></h4>\n<ol>\n");
            for (Finding f : findings) {
                out.append("<li><span class=\"swatch\" style=\"background:").append(palette.segment(label(f)))
                        .append("\"></span><strong>").append(escape(label(f))).append("</strong> ")
                        .append(Figures.percent(f.share())).append(" — <span class=\"cause\">")
                        .append(escape(f.cause().replace('_', ' '))).append("</span>");
                if (!Double.isNaN(f.explainedShare())) {
                    out.append(", explains ").append(Figures.percent(f.explainedShare())).append(" of the segment");
                }
                out.append("<div class=\"evidence\">").append(escape(f.evidence())).append("</div></li>\n");
            }
            out.append("</ol></div>\n");
        }
        return out.toString();
    }

    /**
     * The segment as the charts name it, so that it keeps its color: findings write {@code A > B},
     * the summary's segments {@code from} and {@code to}, shown as {@code A → B}.
     */
    private static String label(Finding f) {
        return f.segment().replaceFirst("\\s*>\\s*", " → ");
    }
}
