package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.VethPair;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnettracer ctl} against a trace running in this process, over its real control socket. */
class CtlCommandTest {
    private static final Pattern TOOK = Pattern.compile("ok: .* in (\\d+) us\n");

    @BeforeEach
    void root() {
        Root.assume();
    }

    private static CommandLineRun ctl(Path runDir, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "ctl";
        all[1] = "--run-dir";
        all[2] = runDir.toString();
        all[3] = "--pid";
        all[4] = String.valueOf(ProcessHandle.current().pid());
        System.arraycopy(args, 0, all, 5, args.length);
        return CommandLineRun.of(all);
    }

    private static long micros(CommandLineRun run) {
        assertEquals(0, run.exitCode(), run.err());
        Matcher m = TOOK.matcher(run.out());
        assertTrue(m.find(), run.out());
        return Long.parseLong(m.group(1));
    }

    @Test
    void listAddSampleFilterAndRemoveChangeTheRunningTrace(@TempDir Path dir) throws Exception {
        try (VethPair net = new VethPair("vtrc", 61)) {
            BackgroundTrace trace = new BackgroundTrace(dir, "--probe", "rx=kernel:netif_receive_skb:" + net.outer,
                    "--duration", "3s", "--quiet");
            trace.awaitAttached();

            CommandLineRun list = ctl(dir, "list");
            micros(list);
            assertTrue(list.out().contains("rx "), list.out());
            assertTrue(list.out().contains("kernel:netif_receive_skb:" + net.outer), list.out());

            long added = micros(ctl(dir, "add", "tx=kernel:net_dev_queue:" + net.namespace + "/" + net.inner));
            assertTrue(added > 0, "attaching a probe takes time: " + added);
            CommandLineRun after = ctl(dir, "list");
            assertTrue(after.out().contains("kernel:net_dev_queue:" + net.namespace + "/" + net.inner), after.out());

            long sampled = micros(ctl(dir, "sample", "rx", "1/10"));
            assertTrue(sampled < added, "a sample change is a map update, cheaper than an attach: " + sampled + " vs " + added);
            assertTrue(ctl(dir, "list").out().contains("1/10"), "the list shows the new rate");

            // A filter swap goes through the probe's link; the session's own tests cover it per probe kind.
            CommandLineRun filterOfNobody = ctl(dir, "filter", "nosuch", "");
            assertEquals(2, filterOfNobody.exitCode());
            assertTrue(filterOfNobody.err().contains("no probe named 'nosuch'"), filterOfNobody.err());

            micros(ctl(dir, "remove", "tx"));
            assertFalse(ctl(dir, "list").out().contains("net_dev_queue"), "tx is gone");

            CommandLineRun unknown = ctl(dir, "remove", "nosuch");
            assertEquals(2, unknown.exitCode());
            assertTrue(unknown.err().startsWith("vnettracer ctl remove: no probe named 'nosuch'; probes are [rx] (after "),
                    unknown.err());

            CommandLineRun badSpec = ctl(dir, "add", "x=nic:eth0");
            assertEquals(2, badSpec.exitCode());
            assertTrue(badSpec.err().contains("unknown probe kind 'nic'"), badSpec.err());

            CommandLineRun missing = ctl(dir, "add", "y=kernel:net_dev_queue:" + net.namespace + "/nosuch0");
            assertEquals(2, missing.exitCode());
            assertTrue(missing.err().contains("nosuch0"), missing.err());

            CommandLineRun badRate = ctl(dir, "sample", "rx", "0");
            assertEquals(2, badRate.exitCode());
            assertTrue(badRate.err().contains("records nothing"), badRate.err());

            CommandLineRun run = trace.result();
            assertEquals(0, run.exitCode(), run.err());
        }
    }

    /**
     * Before the limits, a filter of 5000 terms overflowed the stack of the thread serving the
     * control socket: the connection dropped without a reply.
     */
    @Test
    void aFilterOverTheLimitsIsRefusedWithTheLimitAndTheTraceGoesOn(@TempDir Path dir) throws Exception {
        try (VethPair net = new VethPair("vhinp", 187)) {
            BackgroundTrace trace = new BackgroundTrace(dir, "--probe", "rx=kernel:netif_receive_skb:" + net.outer,
                    "--duration", "3s", "--quiet");
            trace.awaitAttached();
            String fiveThousandTerms = String.join(" or ", java.util.Collections.nCopies(5_000, "ip"));
            CommandLineRun many = ctl(dir, "filter", "rx", fiveThousandTerms);
            assertEquals(2, many.exitCode(), many.err());
            assertTrue(many.err().contains("filter error at column 6001: more than 1000 primitives"), many.err());
            CommandLineRun deep = ctl(dir, "filter", "rx", "(".repeat(5_000) + "udp" + ")".repeat(5_000));
            assertEquals(2, deep.exitCode(), deep.err());
            assertTrue(deep.err().contains("'(' and 'not' are nested more than 100 levels deep"), deep.err());
            CommandLineRun added = ctl(dir, "add", "tx=kernel:net_dev_queue:" + net.outer, "--filter", "!".repeat(20_000) + "udp");
            assertEquals(2, added.exitCode(), added.err());
            assertTrue(added.err().contains("nested more than 100 levels deep"), added.err());

            CommandLineRun list = ctl(dir, "list");
            micros(list);
            assertTrue(list.out().contains("rx ") && !list.out().contains("tx "), list.out());
            CommandLineRun run = trace.result();
            assertEquals(0, run.exitCode(), run.err());
        }
    }

    @Test
    void withoutATraceCtlSaysSoAndExitsTwo(@TempDir Path dir) {
        CommandLineRun run = CommandLineRun.of("ctl", "--run-dir", dir.toString(), "list");
        assertEquals(2, run.exitCode());
        assertEquals("vnettracer ctl list: no trace is running (no live socket in " + dir + ")\n", run.err());
        CommandLineRun noCommand = CommandLineRun.of("ctl", "--run-dir", dir.toString());
        assertEquals(2, noCommand.exitCode());
        assertTrue(noCommand.err().contains("Missing a ctl command"), noCommand.err());
    }
}
