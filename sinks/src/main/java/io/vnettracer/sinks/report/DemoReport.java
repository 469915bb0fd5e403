package io.vnettracer.sinks.report;

import static io.vnettracer.sinks.report.Markup.escape;

import io.vnettracer.sinks.report.DemoRun.CaseRun;
import io.vnettracer.sinks.report.DemoRun.StudyRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The demo's report: one HTML page that needs nothing else. Styles are inline, charts are SVG
 * drawn here, there is no script, and a Content-Security-Policy forbids the page any fetch, so a
 * stray reference would show as a blocked load rather than a silent dependency.
 */
public final class DemoReport {
    /** The default file name, next to demo.json. */
    public static final String FILE = "report.html";
    private static final String STYLESHEET = "report.css";
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'";
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private final DemoRun run;

    private DemoReport(DemoRun run) {
        this.run = run;
    }

    /** Reads and checks {@code dir/demo.json} and every summary it names; see docs/REPORT.md. */
    public static DemoReport load(Path dir) {
        return new DemoReport(DemoRun.load(dir));
    }

    public int studies() {
        return run.studies().size();
    }

    public int cases() {
        return run.caseCount();
    }

    public void write(Path file) {
        write(io.vnettracer.sinks.output.OutputFile.replacing(file));
    }

    /** Into {@code file} as {@link io.vnettracer.sinks.output.OutputFile} creates it (new, 0600: the page names flows). */
    public void write(io.vnettracer.sinks.output.OutputFile file) {
        try {
            file.write(html().getBytes(StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write the report to " + file.path() + ": " + e.getMessage(), e.getCause());
        }
    }

    public String html() {
        Palette palette = new Palette();
        StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(POLICY).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>vNetTracer demo report</title>\n<style>\n").append(stylesheet()).append("</style>\n")
                .append("</head>\n<body>\n");
        header(page);
        for (int s = 0; s < run.studies().size(); s++) {
            study(page, s + 1, run.studies().get(s), palette);
        }
        footer(page);
        return page.append("</body>\n</html>\n").toString();
    }

    private void header(StringBuilder page) {
        DemoIndex index = run.index();
        page.append("<header>\n<h1>vNetTracer demo: latency and its decomposition</h1>\n")
                .append("<p class=\"generated\">Generated <time datetime=\"").append(escape(index.generated().toString()))
                .append("\">").append(escape(index.generated().format(SHOWN_TIME))).append("</time></p>\n");
        if (!index.machine().isEmpty()) {
            page.append("<table class=\"machine\">\n<caption>Machine</caption>\n<tbody>\n");
            for (DemoIndex.MachineFact fact : index.machine()) {
                page.append("<tr><th scope=\"row\">").append(escape(fact.key())).append("</th><td>")
                        .append(escape(fact.value())).append("</td></tr>\n");
            }
            page.append("</tbody>\n</table>\n");
        }
        page.append("<nav><ol>\n");
        for (StudyRun s : run.studies()) {
            page.append("<li><a href=\"#").append(studyAnchor(s)).append("\">").append(escape(s.study().title()))
                    .append("</a> (").append(s.cases().size()).append(s.cases().size() == 1 ? " case" : " cases")
                    .append(")</li>\n");
        }
        page.append("</ol></nav>\n</header>\n");
    }

    private static void study(StringBuilder page, int number, StudyRun s, Palette palette) {
        List<CaseRun> cases = s.cases();
        String title = s.study().title();
        page.append("<section class=\"study\" id=\"").append(studyAnchor(s)).append("\">\n<h2>")
                .append(number).append(". ").append(escape(title)).append("</h2>\n");
        if (!s.study().description().isBlank()) {
            page.append("<p class=\"description\">").append(escape(s.study().description())).append("</p>\n");
        }
        Figure figure = new Figure(number);
        page.append("<figure class=\"latency\">\n<figcaption>").append(figure.next())
                .append(" Latency percentiles per case: sockperf (half the round trip, as sockperf reports it) beside ")
                .append("vNetTracer (").append(kinds(cases)).append(", socket to socket).</figcaption>\n")
                .append(LatencyChart.draw(title, cases)).append("</figure>\n")
                .append(ReportTables.latency(cases));
        if (cases.stream().anyMatch(c -> c.tracer().kind() == LatencyKind.ONE_WAY)) {
            page.append("<p class=\"note\">A one-way figure covers the request's way only; sockperf's round trip ")
                    .append("adds the reply's way and both applications' time, so the difference is expected to ")
                    .append("be about as large as the one-way figure itself.</p>\n");
        }
        if (CdfChart.drawable(cases)) {
            page.append("<figure class=\"cdf\">\n<figcaption>").append(figure.next())
                    .append(" Latency CDF per case: for each latency, the share of the messages at or below it; ")
                    .append("sockperf's per-message log solid, the tracer's half round trip of the same messages ")
                    .append("dashed. Each curve is drawn through ").append(Sampling.CDF_POINTS)
                    .append(" of its quantiles.</figcaption>\n").append(CdfChart.draw(title, cases)).append("</figure>\n");
        }
        page.append("<figure class=\"decomposition\">\n<figcaption>").append(figure.next())
                .append(" Decomposition of the measured flow's latency: each segment's share of the ")
                .append("end-to-end time, per case.</figcaption>\n")
                .append(DecompositionChart.draw(title, cases, palette)).append("</figure>\n")
                .append("<figure class=\"segment-time\">\n<figcaption>").append(figure.next())
                .append(" The same decomposition in absolute time: per case, each segment's mean (bar) and p99 ")
                .append("(mark), and the flow's end to end, one-way, on one time axis for the study.</figcaption>\n")
                .append(SegmentTimeChart.draw(title, cases, palette)).append("</figure>\n")
                .append(ReportTables.segments(cases, palette));
        String timelines = TimelineChart.draw(cases);
        if (!timelines.isEmpty()) {
            page.append("<figure class=\"timeline\">\n<figcaption>").append(figure.next())
                    .append(" Latency over time: sockperf's latency of each message against when it was sent, one ")
                    .append("panel per case, one latency axis for all. A panel draws at most ")
                    .append(Figures.count(Sampling.TIMELINE_POINTS)).append(" messages: with more, the messages are ")
                    .append("cut into ").append(Figures.count(Sampling.TIMELINE_POINTS / 2)).append(" runs of consecutive ")
                    .append("messages and each run shows its lowest and highest, which keeps the floor and every ")
                    .append("spike.</figcaption>\n").append(timelines)
                    .append("</figure>\n");
        }
        String diagnosis = DiagnosisList.of(cases, palette);
        if (!diagnosis.isEmpty()) {
            page.append("<h3>Diagnosis</h3>\n<p class=\"note\">Per case, the segment that holds most of the ")
                    .append("measured flow's latency and any that lost packets, ranked by share, with the likely ")
                    .append("cause and the kernel's evidence (the summary's <code>diagnosis</code>).</p>\n")
                    .append(diagnosis);
        }
        String spread = RunSpread.table(cases);
        if (!spread.isEmpty()) {
            page.append("<h3>Spread over repeated runs</h3>\n<p class=\"note\">Each case was run several times ")
                    .append("(<code>--repeat</code>); the charts above show its first run. Here, over all its runs, ")
                    .append("the median of each percentile and its range.</p>\n").append(spread);
        }
        String drops = ReportTables.drops(cases);
        if (!drops.isEmpty()) {
            page.append("<h3>Drops</h3>\n<p class=\"note\">Where packets of the traced flows were lost, and the ")
                    .append("kernel's reason, as each case's summary counts them (every traced flow).</p>\n")
                    .append(drops);
        }
        page.append("</section>\n");
    }

    /** Numbers a study's figures: Figure 1(a), 1(b), ... in the order they appear. */
    private static final class Figure {
        private final int study;
        private char letter = 'a';

        Figure(int study) {
            this.study = study;
        }

        String next() {
            return "Figure " + study + "(" + letter++ + ").";
        }
    }

    private void footer(StringBuilder page) {
        page.append("<footer>Built by <code>vnettracer report</code> from ").append(DemoIndex.FILE).append(" and ")
                .append(run.inputFiles().stream().map(f -> "<code>" + escape(f) + "</code>")
                        .collect(Collectors.joining(", ")))
                .append(". Charts are drawn in the page; hover a bar for its value.</footer>\n");
    }

    private static String kinds(List<CaseRun> cases) {
        return cases.stream().map(c -> c.tracer().kind().text()).distinct().collect(Collectors.joining(" or "));
    }

    private static String studyAnchor(StudyRun s) {
        return "study-" + Markup.anchor(s.study().id());
    }

    private static String stylesheet() {
        try (InputStream in = DemoReport.class.getResourceAsStream(STYLESHEET)) {
            if (in == null) {
                throw new IllegalStateException(STYLESHEET + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
