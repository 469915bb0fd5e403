package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way the input can be wrong gives one message that names the file, the key and the fix. */
class ReportInputTest {
    @TempDir
    Path dir;

    private String failure() {
        return assertThrows(ReportInputException.class, () -> DemoReport.load(dir)).getMessage();
    }

    private void fixtures() {
        ReportFixtures.copyTo(dir);
    }

    @Test
    void aMissingDirectory() {
        Path gone = dir.resolve("gone");
        assertEquals(gone + " is not a directory; --in takes the directory the demo wrote (demo.json and its summaries)",
                assertThrows(ReportInputException.class, () -> DemoReport.load(gone)).getMessage());
    }

    @Test
    void aMissingIndex() {
        assertEquals("no demo.json in " + dir + ": the demo writes it next to its summaries (its layout is in "
                + "docs/REPORT.md)", failure());
    }

    @Test
    void anIndexThatIsNotJson() throws Exception {
        Files.writeString(dir.resolve("demo.json"), "{\"version\": 1,\n \"studies\": [ }");
        assertEquals("demo.json is not valid JSON: Unexpected close marker '}': expected ']' (line 2, column 15)",
                failure());
    }

    @Test
    void aMessagesFileOutsideTheDirectory() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"switch-congestion-II-sockperf-messages.csv\"", "\"../m.csv\"");
        assertEquals("demo.json: studies[0].cases[1]: messages: '../m.csv' must be a file name inside the demo "
                + "directory (no directories)", failure());
    }

    @Test
    void aMessagesFileWithARowThatIsNotNumeric() {
        fixtures();
        ReportFixtures.edit(dir, "cpu-contention-alone-sockperf-messages.csv", "\n0,", "\n0,soon,");
        assertEquals("cpu-contention-alone-sockperf-messages.csv: line 2: 6 fields, the header has 5", failure());
    }

    @Test
    void aRunWithoutItsPercentiles() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"p50_us\": 53.4,", "");
        assertEquals("demo.json: studies[0].cases[0].runs[1].sockperf.p50_us: missing (a number)", failure());
    }

    @Test
    void aFindingWhoseShareIsNotAFraction() {
        fixtures();
        ReportFixtures.edit(dir, "switch-congestion-III.json", "\"share\": 0.933,\n      \"cause\"",
                "\"share\": 93.3,\n      \"cause\"");
        assertEquals("switch-congestion-III.json: diagnosis[0]: share: 93.3 is not a fraction in [0, 1]", failure());
    }

    @Test
    void aMissingKeyIsNamedByItsPath() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"p99_us\": 3900.0,", "");
        assertEquals("demo.json: studies[0].cases[1].sockperf.p99_us: missing (a number)", failure());
    }

    @Test
    void aKeyOfTheWrongType() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"observations\": 20000", "\"observations\": \"many\"");
        assertEquals("demo.json: studies[0].cases[0].sockperf.observations: expected an integer, found the string "
                + "\"many\"", failure());
    }

    @Test
    void anUnknownLatencyKind() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"kind\": \"one-way\"", "\"kind\": \"oneway\"");
        assertEquals("demo.json: studies[0].cases[0].vnettracer: kind: 'oneway' is not one of 'one-way', 'round-trip', 'half-round-trip'",
                failure());
    }

    @Test
    void aMissingSummaryFile() throws Exception {
        fixtures();
        Files.delete(dir.resolve("switch-congestion-II.json"));
        assertEquals("no switch-congestion-II.json in " + dir + ": it is named by demo.json: studies[0].cases[1] "
                + "(study 'switch-congestion', case 'II'), key summary", failure());
    }

    @Test
    void aSummaryOutsideTheDirectory() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"summary\": \"switch-congestion-I.json\"",
                "\"summary\": \"../switch-congestion-I.json\"");
        assertEquals("demo.json: studies[0].cases[0]: summary: '../switch-congestion-I.json' must be a file name "
                + "inside the demo directory (no directories)", failure());
    }

    @Test
    void aFlowTheSummaryDoesNotHold() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"flow\": \"udp 10.0.0.1:5000 > 10.0.0.3:11111\",\n          "
                + "\"sockperf\": {\n            \"p50_us\": 720.0", "\"flow\": \"udp 10.0.0.1:5001 > 10.0.0.3:11111\",\n"
                + "          \"sockperf\": {\n            \"p50_us\": 720.0");
        assertEquals("demo.json: studies[0].cases[1] (study 'switch-congestion', case 'II'), key flow: "
                + "'udp 10.0.0.1:5001 > 10.0.0.3:11111' is not a flow of switch-congestion-II.json; its flows are: "
                + "'udp 10.0.0.1:5000 > 10.0.0.3:11111', 'tcp 10.0.0.1:41872 > 10.0.0.3:5201'", failure());
    }

    @Test
    void aSummaryOfAnotherVersion() {
        fixtures();
        ReportFixtures.edit(dir, "cpu-contention-alone.json", "\"version\": 1", "\"version\": 99");
        assertEquals("cpu-contention-alone.json: version 99 is not supported; this build reads summaries of versions 1 to "
                + io.vnettracer.journey.Summary.VERSION, failure());
    }

    @Test
    void aSummaryWithAMissingKey() {
        fixtures();
        ReportFixtures.edit(dir, "switch-congestion-III.json", "\"events_lost\": 0", "\"events\": 0");
        assertEquals("switch-congestion-III.json: events_lost: missing (an integer)", failure());
    }

    @Test
    void twoCasesOfOneStudyWithOneId() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "\"id\": \"II\"", "\"id\": \"I\"");
        assertEquals("demo.json: studies[0].cases[1]: id: 'I' is the id of an earlier case of study "
                + "'switch-congestion' too", failure());
    }

    @Test
    void aTimeWithoutOffset() {
        fixtures();
        ReportFixtures.edit(dir, "demo.json", "2026-11-25T14:03:27Z", "2026-11-25 14:03");
        assertEquals("demo.json: generated: '2026-11-25 14:03' is not an ISO-8601 time with an offset, "
                + "e.g. 2026-11-25T14:03:00Z", failure());
    }

    @Test
    void noStudies() throws Exception {
        Files.writeString(dir.resolve("demo.json"),
                "{\"version\": 1, \"generated\": \"2026-11-25T14:03:27Z\", \"machine\": {}, \"studies\": []}");
        assertEquals("demo.json: studies: empty; there is nothing to report", failure());
    }
}
