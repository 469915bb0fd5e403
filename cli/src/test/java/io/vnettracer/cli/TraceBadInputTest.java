package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.VethPair;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input the trace cannot use ends with exit code 2, one line that says why, and nothing attached. */
class TraceBadInputTest {
    private static CommandLineRun trace(Path dir, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "trace";
        all[1] = "--run-dir";
        all[2] = dir.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CommandLineRun.of(all);
    }

    private static void assertBadInput(CommandLineRun run, String fragment) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(fragment), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aMalformedScriptLineIsNamedWithItsLineAndColumn(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bad.vnt");
        Files.writeString(script, "identity tag\nprobe rx kernel:netif_receive_skb sample 1/0\n");
        CommandLineRun run = trace(dir, "--script", script.toString());
        assertBadInput(run, "vnettracer trace: " + script + ":2:42: sample rate '1/0' records nothing");
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void aMissingScriptFileIsBadInput(@TempDir Path dir) {
        assertBadInput(trace(dir, "--script", dir.resolve("none.vnt").toString()), "cannot read the tracing script");
    }

    @Test
    void anUnknownProbeKind(@TempDir Path dir) {
        assertBadInput(trace(dir, "--probe", "rx=nic:eth0"), "bad probe 'nic:eth0': unknown probe kind 'nic'");
    }

    @Test
    void aProbeWithoutName(@TempDir Path dir) {
        assertBadInput(trace(dir, "--probe", "kernel:netif_receive_skb"), "is not NAME=SPEC");
    }

    @Test
    void nothingToTrace(@TempDir Path dir) {
        assertBadInput(trace(dir), "nothing to trace");
    }

    @Test
    void badDurationRingSizeAndIdentity(@TempDir Path dir) {
        assertBadInput(trace(dir, "--probe", "d=drops", "--duration", "soon"), "is not a duration like 500ms");
        assertBadInput(trace(dir, "--probe", "d=drops", "--ring-size", "1000"), "must be a power of two");
        assertBadInput(trace(dir, "--probe", "d=drops", "--id", "serial"), "identity is 'tag' or 'fingerprint'");
    }

    @Test
    void joinerBoundsOutOfRangeAreBadInput(@TempDir Path dir) {
        assertBadInput(trace(dir, "--probe", "d=drops", "--max-flows", "0"), "--max-flows 0: give at least 1");
        assertBadInput(trace(dir, "--probe", "d=drops", "--flow-idle", "0"), "--flow-idle 0: give 1 to 31536000 seconds");
        assertBadInput(trace(dir, "--probe", "d=drops", "--max-journeys", "1"), "--max-journeys 1: give at least 16");
    }

    @Test
    void aMalformedFilter(@TempDir Path dir) {
        assertBadInput(trace(dir, "--probe", "d=drops", "--filter", "port ("), "filter of probe 'd'");
    }

    @Test
    void aMissingInterfaceLeavesNoProgramOrLinkBehind(@TempDir Path dir) {
        Root.assume();
        try (VethPair net = new VethPair("vtrc", 62)) {
            int before = BpfDescriptors.programsAndLinks();
            CommandLineRun run = trace(dir, "--probe", "ok=kernel:netif_receive_skb:" + net.outer,
                    "--probe", "bad=kernel:net_dev_queue:" + net.namespace + "/nosuch0", "--duration", "1s");
            assertBadInput(run, "vnettracer trace: probe 'bad' (kernel:net_dev_queue:" + net.namespace + "/nosuch0): ");
            assertTrue(run.err().contains("no network interface 'nosuch0'"), run.err());
            assertEquals(before, BpfDescriptors.programsAndLinks(), "the probe that did attach was detached");
        }
    }

    @Test
    void aMissingNamespace(@TempDir Path dir) {
        Root.assume();
        int before = BpfDescriptors.programsAndLinks();
        Path events = dir.resolve("events.bin");
        CommandLineRun run = trace(dir, "--probe", "d=drops", "--probe", "x=kernel:net_dev_queue:vtrc-nowhere/eth0",
                "--events", events.toString());
        assertBadInput(run, "network namespace 'vtrc-nowhere' not found");
        assertEquals(before, BpfDescriptors.programsAndLinks());
        assertTrue(!Files.exists(events), "no events file from a trace that never started");
    }

    /** Before the limits, 5000 terms overflowed the parser's stack: a thousand-line trace, exit 1. */
    @Test
    void aFilterOverTheLimitsNamesTheLimit(@TempDir Path dir) {
        String fiveThousandTerms = String.join(" or ", java.util.Collections.nCopies(5_000, "ip"));
        CommandLineRun many = trace(dir, "--probe", "d=drops", "--filter", fiveThousandTerms);
        assertBadInput(many, "vnettracer trace: filter of probe 'd': filter error at column 6001: more than 1000 primitives");
        assertTrue(many.err().lines().count() <= 3, many.err());
        assertTrue(many.err().length() < 1_000, "the expression is shown around the column, not whole: " + many.err());
        CommandLineRun nots = trace(dir, "--probe", "d=drops", "--filter", "!".repeat(20_000) + "udp");
        assertBadInput(nots, "filter error at column 101: '(' and 'not' are nested more than 100 levels deep, the limit");
    }

    @Test
    void moreProbesThanATraceHoldsIsBadInputBeforeAnythingAttaches(@TempDir Path dir) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            script.append("probe d").append(i).append(" drops\n");
        }
        Path file = Files.writeString(dir.resolve("many.vnt"), script.toString());
        int before = io.vnettracer.bpf.sys.LibC.geteuid() == 0 ? BpfDescriptors.programsAndLinks() : 0;
        CommandLineRun run = trace(dir, "--script", file.toString(), "--duration", "1s");
        assertBadInput(run, "vnettracer trace: the script has 65 probes; a trace attaches at most 64 (probe 'd64' is the"
                + " first past the limit)");
        if (io.vnettracer.bpf.sys.LibC.geteuid() == 0) {
            assertEquals(before, BpfDescriptors.programsAndLinks());
        }
    }

    @Test
    void aScriptWithANulNamesItsLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("nul.vnt"), "identity tag\nprobe d drops\0\n");
        assertBadInput(trace(dir, "--script", file.toString()), "vnettracer trace: " + file + ":2:14: a NUL character (U+0000)");
    }

    @Test
    void aggregateModeRefusesWhatNeedsRecordsOrCannotBeAggregated(@TempDir Path dir) throws Exception {
        assertBadInput(trace(dir, "--mode", "aggregate", "--probe", "d=drops", "--events", dir.resolve("e.bin").toString()),
                "vnettracer trace: --events writes every packet's record, and --mode aggregate makes none: use --mode record");
        assertBadInput(trace(dir, "--mode", "aggregate", "--probe", "d=drops", "--pcapng", dir.resolve("p.pcapng").toString()),
                "--pcapng writes every packet's record");
        assertBadInput(trace(dir, "--mode", "aggregate", "--probe", "d=drops", "--id", "tag"),
                "--mode aggregate follows packets by fingerprint within one kernel; --id tag is for record mode");
        Path script = Files.writeString(dir.resolve("sampled.vnt"), "probe d drops sample 1/4\n");
        assertBadInput(trace(dir, "--mode", "aggregate", "--script", script.toString()),
                "probe 'd' samples 1 in 4: --mode aggregate counts every packet in the kernel");
        assertBadInput(trace(dir, "--mode", "sideways", "--probe", "d=drops"), "--mode");
        assertTrue(Files.notExists(dir.resolve("e.bin")) && Files.notExists(dir.resolve("p.pcapng")), "no output file made");
    }

    @Test
    void aScriptMixingRecordAndAggregateProbesIsRefused(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("mixed.vnt"), "probe a drops actions histogram\nprobe b drops\n");
        assertBadInput(trace(dir, "--script", script.toString()),
                "vnettracer trace: probe 'a' aggregates in the kernel (actions histogram) and probe 'b' records: a trace is in one mode");
    }
}
