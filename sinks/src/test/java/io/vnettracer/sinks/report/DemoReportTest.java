package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoReportTest {
    private static final Pattern RECT = Pattern.compile(
            "<rect x=\"([-\\d.]+)\" y=\"([-\\d.]+)\" width=\"([\\d.]+)\" height=\"([\\d.]+)\" fill=\"(#[0-9a-f]{6})\"><title>([^<]*)</title>");

    @TempDir
    Path dir;

    private String report() {
        ReportFixtures.copyTo(dir);
        DemoReport report = DemoReport.load(dir);
        assertEquals(2, report.studies());
        assertEquals(5, report.cases());
        return report.html();
    }

    /** The part of the page between {@code <section ... id="study-ID">} and its end. */
    private static String section(String html, String studyId) {
        int start = html.indexOf("<section class=\"study\" id=\"study-" + studyId + "\">");
        assertTrue(start >= 0, "no section for study " + studyId);
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertTrue(start >= 0, "no " + from);
        return text.substring(start, text.indexOf(to, start) + to.length());
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void everyStudyHasItsTwoChartsAndTheirTables() {
        String html = report();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        for (String study : List.of("switch-congestion", "cpu-contention")) {
            String s = section(html, study);
            assertEquals(1, count(s, "<svg class=\"chart latency-chart\""), study);
            assertEquals(1, count(s, "<svg class=\"chart decomposition-chart\""), study);
            assertEquals(1, count(s, "<table class=\"latency-table\">"), study);
            assertEquals(1, count(s, "<table class=\"segments-table\">"), study);
            assertTrue(s.indexOf("latency-chart") < s.indexOf("latency-table"), "table under its chart");
            assertTrue(s.indexOf("decomposition-chart") < s.indexOf("segments-table"), "table under its chart");
        }
        assertEquals(2, count(html, "<section class=\"study\""));
    }

    @Test
    void theLatencyTablePutsSockperfBesideTheTracerWithTheDifference() {
        String table = between(section(report(), "switch-congestion"), "<table class=\"latency-table\">", "</table>");
        assertEquals(3, count(table, "rowspan=\"4\""), "one group of four percentiles per case");
        assertEquals(12, count(table, "<tr") - 1, "3 cases x 4 percentiles, plus the header");
        // Case II, p99.9: sockperf 6100 us, vNetTracer 2950 us, one-way.
        assertTrue(table.contains("<td>p99.9</td><td class=\"num\">6.10 ms</td><td class=\"num\">2.95 ms</td>"
                + "<td class=\"num\">+3.15 ms</td>"), table);
        // Case I, p50: 58.0 - 26.4 us.
        assertTrue(table.contains("<td>p50</td><td class=\"num\">58.0 µs</td><td class=\"num\">26.4 µs</td>"
                + "<td class=\"num\">+31.6 µs</td>"), table);
        assertTrue(table.contains("mean 61.2 µs, 20,000 observations"), table);
    }

    @Test
    void theSegmentsTableHasEachSegmentOfTheMeasuredFlowOnly() {
        String table = between(section(report(), "switch-congestion"), "<table class=\"segments-table\">", "</table>");
        assertEquals(3, count(table, "<tr class=\"case-row\">"));
        assertEquals(3, count(table, "<tr class=\"total\">"));
        assertEquals(15, count(table, "<span class=\"swatch\""), "5 segments in each of 3 cases; tcp flows left out");
        // Case III, the switch: packets, lost, mean, p50, p99, share.
        assertTrue(table.contains("sw_in → sw_out</td><td class=\"num\">11,963</td><td class=\"num\">37</td>"
                + "<td class=\"num\">1.38 ms</td><td class=\"num\">1.16 ms</td><td class=\"num\">4.23 ms</td>"
                + "<td class=\"num\">93.3%</td>"), table);
        assertTrue(table.contains("sent 12,000, received 11,963, lost 37 (0.3%)"), table);
        assertFalse(table.contains("5201"), "the iperf3 flow is not the measured one");
    }

    @Test
    void dropsAreListedOnlyWhereThereAreAny() {
        String html = report();
        String congestion = section(html, "switch-congestion");
        String drops = between(congestion, "<table class=\"drops-table\">", "</table>");
        assertTrue(drops.contains("<td>Case III</td><td>sw_in &gt; sw_out</td><td><code>SKB_DROP_REASON_QDISC_DROP</code>"
                + "</td><td class=\"num\">937</td>"), drops);
        assertFalse(section(html, "cpu-contention").contains("drops-table"));
    }

    @Test
    void theHeaderNamesTheMachineAndTheTime() {
        String header = between(report(), "<header>", "</header>");
        assertTrue(header.contains("<time datetime=\"2026-11-25T14:03:27Z\">2026-11-25 14:03:27 +00:00</time>"), header);
        assertTrue(header.contains("<th scope=\"row\">kernel</th><td>Linux 6.18.0</td>"), header);
        assertTrue(header.contains("<a href=\"#study-cpu-contention\">"), header);
    }

    @Test
    void thePageNeedsNothingFromElsewhere() {
        String html = report();
        // "http" alone would match the policy's own http-equiv.
        assertFalse(Pattern.compile("(?i)(https?|ftp|file|data|javascript):").matcher(html).find(), "no URL in the page");
        assertFalse(html.contains("//"), "no protocol-relative URL");
        assertFalse(html.contains("<script"), "charts are drawn here; the page has no script");
        assertFalse(html.contains("<link"), "styles are inline");
        assertFalse(html.contains(" src="), "no embedded resource");
        assertFalse(html.contains("url("), "no stylesheet resource");
        assertFalse(html.contains("@import"), "no stylesheet import");
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "fetching is forbidden");
    }

    @Test
    void eachCaseBarIsExactlyItsSegmentsAndASegmentKeepsItsColorEverywhere() {
        String html = report();
        Map<String, String> colorOf = new HashMap<>();
        for (String study : List.of("switch-congestion", "cpu-contention")) {
            String s = section(html, study);
            String chart = between(s, "<svg class=\"chart decomposition-chart\"", "</svg>");
            Map<String, Double> widthOfCase = new HashMap<>();
            Matcher m = RECT.matcher(chart);
            while (m.find()) {
                String title = m.group(6);
                String caseId = title.substring("Case ".length(), title.indexOf(','));
                String segment = title.substring(title.indexOf(", ") + 2, title.indexOf(':'));
                widthOfCase.merge(caseId, Double.parseDouble(m.group(3)), Double::sum);
                String earlier = colorOf.putIfAbsent(segment, m.group(5));
                assertEquals(earlier == null ? m.group(5) : earlier, m.group(5), segment + " changed color");
                assertTrue(s.contains("background:" + m.group(5) + "\"></span>" + segment), segment + " in the table");
            }
            assertFalse(widthOfCase.isEmpty(), study);
            widthOfCase.forEach((c, w) -> assertEquals(610, w, 0.5, "case " + c + " fills the bar"));
        }
        assertEquals(10, colorOf.size(), "five segments per path, two paths");
        assertEquals(10, colorOf.values().stream().distinct().count(), "ten segments, ten colors");
    }

    @Test
    void theLatencyChartHasAPairOfBarsPerPercentileAndTailsStandHigher() {
        String chart = between(section(report(), "switch-congestion"), "<svg class=\"chart latency-chart\"", "</svg>");
        assertTrue(chart.contains("latency (log scale)"), "58 µs next to 13.2 ms needs a log axis");
        List<double[]> sockperfCaseIII = new ArrayList<>();
        Matcher m = RECT.matcher(chart);
        int bars = 0;
        while (m.find()) {
            bars++;
            if (m.group(6).startsWith("Case III, ") && m.group(6).contains("sockperf")) {
                sockperfCaseIII.add(new double[] {Double.parseDouble(m.group(4))});
            }
            String expected = m.group(6).contains("sockperf") ? Palette.SOCKPERF : Palette.TRACER;
            assertEquals(expected, m.group(5), m.group(6));
        }
        assertEquals(3 * 4 * 2, bars);
        assertEquals(4, sockperfCaseIII.size());
        for (int i = 1; i < 4; i++) {
            assertTrue(sockperfCaseIII.get(i)[0] > sockperfCaseIII.get(i - 1)[0], "p50 < p90 < p99 < p99.9");
        }
        assertTrue(chart.contains("<title>Case II, p99.9, vNetTracer (one-way): 2.95 ms</title>"), chart);
        assertTrue(chart.contains(">Case III</text>"));
        assertTrue(chart.contains(">sockperf (half-round-trip)</text>"));
        assertTrue(chart.contains(">vNetTracer (one-way)</text>"));
    }

    @Test
    void withoutTheTracersFiguresTheSummaryFlowsAreShownAsOneWay() {
        ReportFixtures.copyTo(dir);
        ReportFixtures.edit(dir, "demo.json", "\"vnettracer\": {\n            \"p50_us\": 26.4",
                "\"not_read\": {\n            \"p50_us\": 26.4");
        String table = between(section(DemoReport.load(dir).html(), "switch-congestion"),
                "<table class=\"latency-table\">", "</table>");
        // Case I's summary flow: p50 26 400 ns, p90 31 200, p99 47 900, no p99.9.
        assertTrue(table.contains("vNetTracer: one-way, from the summary's flow"), table);
        assertTrue(table.contains("<td>p99.9</td><td class=\"num\">180 µs</td><td class=\"num\">—</td>"
                + "<td class=\"num\">—</td>"), table);
    }

    @Test
    void aCaseWithoutCompleteJourneysSaysSoInsteadOfABar() throws Exception {
        ReportFixtures.copyTo(dir);
        Path shared = dir.resolve("cpu-contention-shared.json");
        Files.writeString(shared, Files.readString(shared).replaceAll("\"share\": [0-9.]+", "\"share\": 0.0"));
        String chart = between(section(DemoReport.load(dir).html(), "cpu-contention"),
                "<svg class=\"chart decomposition-chart\"", "</svg>");
        assertTrue(chart.contains(">no journey crossed the whole path: no shares</text>"), chart);
        assertFalse(chart.contains("<title>Case shared, "), "no pieces for the shared case");
        assertTrue(chart.contains("<title>Case alone, "), "the other case is drawn");
    }

    @Test
    void aRoundTripTracerFigureIsNamedInTheLegend() {
        ReportFixtures.copyTo(dir);
        ReportFixtures.edit(dir, "demo.json", "\"kind\": \"one-way\"", "\"kind\": \"round-trip\"");
        String html = DemoReport.load(dir).html();
        String chart = between(section(html, "switch-congestion"), "<svg class=\"chart latency-chart\"", "</svg>");
        assertTrue(chart.contains(">vNetTracer (one-way / round-trip)</text>"), chart);
        assertTrue(chart.contains("<title>Case I, p50, vNetTracer (round-trip): 26.4 µs</title>"), chart);
        assertTrue(section(html, "cpu-contention").contains(">vNetTracer (one-way)</text>"), "only where a case is round-trip");
    }

    @Test
    void writesTheFile() throws Exception {
        ReportFixtures.copyTo(dir);
        Path out = dir.resolve(DemoReport.FILE);
        DemoReport.load(dir).write(out);
        assertTrue(Files.readString(out).endsWith("</html>\n"));
    }
}
