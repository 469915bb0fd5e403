package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts beyond the percentiles and shares: CDFs, absolute decomposition, latency over time, diagnosis, spread. */
class DemoReportChartsTest {
    private static final Pattern POINTS = Pattern.compile("class=\"(curve[^\"]*|dots)\" stroke=\"(#[0-9a-f]{6})\" data-points=\"(\\d+)\"");

    @TempDir
    Path dir;

    private String report() {
        ReportFixtures.copyTo(dir);
        return DemoReport.load(dir).html();
    }

    private static String section(String html, String studyId) {
        int start = html.indexOf("<section class=\"study\" id=\"study-" + studyId + "\">");
        assertTrue(start >= 0, "no section for study " + studyId);
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static List<String> charts(String html, String kind) {
        List<String> out = new ArrayList<>();
        String open = "<svg class=\"chart " + kind + "\"";
        for (int i = html.indexOf(open); i >= 0; i = html.indexOf(open, i + 1)) {
            out.add(html.substring(i, html.indexOf("</svg>", i)));
        }
        return out;
    }

    private static List<int[]> pointCounts(String chart) {
        List<int[]> out = new ArrayList<>();
        Matcher m = POINTS.matcher(chart);
        while (m.find()) {
            out.add(new int[] {m.group(1).contains("tracer") ? 1 : 0, Integer.parseInt(m.group(3))});
        }
        return out;
    }

    @Test
    void eachStudyHasACdfWithACurvePerCaseAndTool() {
        String html = report();
        for (var study : List.of(List.of("switch-congestion", "3"), List.of("cpu-contention", "2"))) {
            List<String> cdfs = charts(section(html, study.get(0)), "cdf-chart");
            assertEquals(1, cdfs.size(), study.get(0));
            List<int[]> curves = pointCounts(cdfs.getFirst());
            int cases = Integer.parseInt(study.get(1));
            assertEquals(2 * cases, curves.size(), "sockperf and the tracer for each case");
            assertEquals(cases, curves.stream().filter(c -> c[0] == 1).count(), "dashed: the tracer's");
            curves.forEach(c -> assertTrue(c[1] > 100 && c[1] <= Sampling.CDF_POINTS + 1, "points " + c[1]));
        }
        // Case I's 58 µs median beside Case III's 2.6 ms: a log axis, and it says so.
        assertTrue(charts(section(html, "switch-congestion"), "cdf-chart").getFirst().contains("(log scale)"));
    }

    @Test
    void theAbsoluteDecompositionPutsEveryCaseOnOneTimeAxis() {
        String chart = charts(section(report(), "switch-congestion"), "segment-time-chart").getFirst();
        assertTrue(chart.contains(">(log scale)<"), "3 µs next to 4.2 ms");
        // Five segments and the end to end, in each of three cases: a bar and a p99 mark each.
        assertEquals(18, chart.split("class=\"p99-mark\"", -1).length - 1);
        assertEquals(3, chart.split(">end to end<", -1).length - 1);
        Matcher bar = Pattern.compile("<rect x=\"236\" y=\"[\\d.]+\" width=\"([\\d.]+)\" height=\"12\" fill=\"#[0-9a-f]{6}\">"
                + "<title>Case (I+), sw_in → sw_out: mean ([^,]+),").matcher(chart);
        List<Double> widths = new ArrayList<>();
        while (bar.find()) {
            widths.add(Double.parseDouble(bar.group(1)));
        }
        assertEquals(3, widths.size(), chart);
        assertTrue(widths.get(2) > widths.get(1) && widths.get(1) > widths.get(0), "the switch's queue grows: " + widths);
    }

    @Test
    void latencyOverTimeHasAPanelPerCaseOfAtMostTwoThousandPoints() {
        String html = report();
        List<String> panels = charts(section(html, "switch-congestion"), "timeline-chart");
        assertEquals(3, panels.size());
        int first = pointCounts(panels.get(0)).getFirst()[1];
        assertTrue(first <= Sampling.TIMELINE_POINTS && first > Sampling.TIMELINE_POINTS / 2, "2,400 messages cut to " + first);
        assertTrue(panels.get(0).contains(Figures.count(first) + " of 2,400 messages drawn"), panels.get(0).substring(0, 2000));
        assertEquals(600, pointCounts(panels.get(1)).getFirst()[1], "600 messages drawn whole");
        assertTrue(panels.get(1).contains("all 600 messages"));
        assertEquals(2, charts(section(html, "cpu-contention"), "timeline-chart").size());
    }

    @Test
    void theDiagnosisIsListedWhereTheSummaryHasOne() {
        String html = report();
        String switchStudy = section(html, "switch-congestion");
        assertEquals(1, switchStudy.split("<div class=\"diagnosis\">", -1).length - 1, "only case III has one");
        String list = switchStudy.substring(switchStudy.indexOf("<div class=\"diagnosis\">"));
        assertTrue(list.startsWith("<div class=\"diagnosis\"><h4>Case III"), list);
        assertTrue(list.contains("<strong>sw_in → sw_out</strong> 93.3% — <span class=\"cause\">queueing</span>, "
                + "explains 93.0% of the segment"), list);
        assertTrue(list.contains("by Little&#39;s law a packet waited 1.29 ms"), list);
        assertFalse(list.contains("the same tbf qdisc"), "the iperf3 flow's finding is not the measured flow's");
        String cpu = section(html, "cpu-contention");
        assertTrue(cpu.contains("<span class=\"cause\">cpu wait</span>"), cpu);
        assertTrue(cpu.contains("busy-loop (pid 4121)"));
    }

    @Test
    void theSpreadOverRunsShowsTheMedianAndTheRangeOfRepeatedCases() {
        String html = report();
        String switchStudy = section(html, "switch-congestion");
        String table = switchStudy.substring(switchStudy.indexOf("<table class=\"spread-table\">"));
        table = table.substring(0, table.indexOf("</table>"));
        assertEquals(2, table.split("<th scope=\"row\">", -1).length - 1, "cases I and II ran three times, III once");
        // Case I's sockperf p50 over its runs: 53.4, 58.0, 66.7 µs.
        assertTrue(table.contains("<td class=\"num\">3</td><td class=\"num\">58.0 µs<br><span class=\"note\">"
                + "53.4 µs – 66.7 µs</span></td>"), table);
        assertFalse(section(html, "cpu-contention").contains("spread-table"), "no case of that study was repeated");
    }

    @Test
    void withoutMessagesOrDiagnosisThoseFiguresAreLeftOut() throws Exception {
        ReportFixtures.copyTo(dir);
        Path index = dir.resolve("demo.json");
        Files.writeString(index, Files.readString(index).replaceAll(",\\s*\"messages\": \"[^\"]*\"", ""));
        for (String summary : List.of("switch-congestion-III.json", "cpu-contention-shared.json")) {
            Path file = dir.resolve(summary);
            String text = Files.readString(file);
            Files.writeString(file, text.substring(0, text.indexOf(",\n  \"diagnosis\"")) + "\n}\n");
        }
        String html = DemoReport.load(dir).html();
        assertTrue(charts(html, "cdf-chart").isEmpty());
        assertTrue(charts(html, "timeline-chart").isEmpty());
        assertFalse(html.contains("<h3>Diagnosis</h3>"));
        assertEquals(2, charts(html, "segment-time-chart").size(), "drawn from the summaries alone");
    }

    @Test
    void aMissingMessagesFileIsNamedWithTheKeyThatNamesIt() throws Exception {
        ReportFixtures.copyTo(dir);
        Files.delete(dir.resolve("switch-congestion-II-sockperf-messages.csv"));
        ReportInputException e = org.junit.jupiter.api.Assertions.assertThrows(ReportInputException.class,
                () -> DemoReport.load(dir));
        assertEquals("no switch-congestion-II-sockperf-messages.csv in " + dir.toAbsolutePath() + ": it is named by "
                + "demo.json: studies[0].cases[1] (study 'switch-congestion', case 'II'), key messages", e.getMessage());
    }
}
