package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command around the report (the report itself is tested in the sinks module). */
class ReportCommandTest {
    private static final String FLOW = "udp 10.0.0.1:5000 > 10.0.0.3:11111";

    @TempDir
    Path dir;

    @BeforeEach
    void aDemoOfOneCase() throws Exception {
        Files.writeString(dir.resolve("demo.json"), """
                {"version": 1, "generated": "2026-11-25T14:03:27Z", "machine": {"kernel": "Linux 6.18.0"},
                 "studies": [{"id": "switch-congestion", "title": "Congestion in the virtual switch",
                   "cases": [{"id": "I", "title": "sockperf alone", "summary": "I.json", "flow": "%s",
                     "sockperf": {"p50_us": 58.0, "p90_us": 66.0, "p99_us": 95.0, "p999_us": 180.0,
                                  "mean_us": 61.2, "observations": 20000},
                     "vnettracer": {"p50_us": 26.4, "p90_us": 31.2, "p99_us": 47.9, "p999_us": 88.1,
                                    "kind": "one-way"}}]}]}
                """.formatted(FLOW));
        Files.writeString(dir.resolve("I.json"), """
                {"version": 1,
                 "probes": [{"name": "tx", "spec": "dev:vm0/eth0:egress", "events": 100, "lost": 0},
                            {"name": "rx", "spec": "dev:vm1/eth0:ingress", "events": 100, "lost": 0}],
                 "flows": [{"proto": "udp", "src": "10.0.0.1", "sport": 5000, "dst": "10.0.0.3", "dport": 11111,
                            "sent": 100, "received": 100, "lost": 0, "loss_rate": 0.0,
                            "throughput_bps": 81920.0, "jitter_ns": 310.5,
                            "latency_ns": {"min": 9000, "mean": 12000.0, "p50": 11800, "p90": 13100,
                                           "p99": 20400, "max": 31000}}],
                 "segments": [{"flow": "%s", "from": "tx", "to": "rx", "packets": 100, "lost": 0,
                               "latency_ns": {"mean": 12000.0, "p50": 11800, "p99": 20400}, "share": 1.0}],
                 "drops": [], "events_lost": 0}
                """.formatted(FLOW));
    }

    @Test
    void writesReportHtmlIntoTheDemoDirectory() throws Exception {
        CommandLineRun run = CommandLineRun.of("report", "--in", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path page = dir.resolve("report.html");
        assertEquals("wrote " + page + " (1 study, 1 case)\n", run.out());
        String html = Files.readString(page);
        assertTrue(html.contains("Congestion in the virtual switch"));
        assertTrue(html.contains("tx → rx"));
    }

    @Test
    void writesWhereOutSays() {
        Path page = dir.resolve("elsewhere.html");
        CommandLineRun run = CommandLineRun.of("report", "--in", dir.toString(), "--out", page.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.isRegularFile(page));
        assertFalse(Files.exists(dir.resolve("report.html")));
    }

    @Test
    void aFlowTheSummaryDoesNotHoldIsBadInput() throws Exception {
        Path demo = dir.resolve("demo.json");
        Files.writeString(demo, Files.readString(demo).replace("10.0.0.3:11111", "10.0.0.3:11112"));
        CommandLineRun run = CommandLineRun.of("report", "--in", dir.toString());
        assertEquals(2, run.exitCode());
        assertEquals("vnettracer report: demo.json: studies[0].cases[0] (study 'switch-congestion', case 'I'), key flow: "
                + "'udp 10.0.0.1:5000 > 10.0.0.3:11112' is not a flow of I.json; its flows are: '" + FLOW + "'\n",
                run.err());
        assertFalse(Files.exists(dir.resolve("report.html")), "nothing written");
    }

    @Test
    void aDirectoryWithoutIndexIsBadInput() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        CommandLineRun run = CommandLineRun.of("report", "--in", empty.toString());
        assertEquals(2, run.exitCode());
        assertEquals("vnettracer report: no demo.json in " + empty + ": the demo writes it next to its summaries "
                + "(its layout is in docs/REPORT.md)\n", run.err());
    }

    @Test
    void inIsRequired() {
        CommandLineRun run = CommandLineRun.of("report");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("Missing required option: '--in=DIR'"), run.err());
    }

    @Test
    void aPageIntoAMissingDirectoryIsBadInput() {
        Path page = dir.resolve("no-such-directory").resolve("report.html");
        CommandLineRun run = CommandLineRun.of("report", "--in", dir.toString(), "--out", page.toString());
        assertEquals(2, run.exitCode());
        assertEquals("vnettracer report: --out " + page + ": the directory " + dir.resolve("no-such-directory")
                + " does not exist; create it first\n", run.err());
    }
}
