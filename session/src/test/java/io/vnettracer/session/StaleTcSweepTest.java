package io.vnettracer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.link.tc.StaleFilterOwner;
import io.vnettracer.bpf.link.tc.TcLegacyLink;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tracer SIGKILLed while its legacy tc filter sat on interface A: a later trace that attaches
 * only to interface B (another namespace) removes that filter, and leaves a live tracer's filter
 * and a foreign cls_bpf filter on A alone.
 */
class StaleTcSweepTest {
    private static final String A_IF = "hla0";
    private static final String B_IF = "hlb0";

    @Test
    void aTraceOnBRemovesADeadTracersFilterOnA() throws Exception {
        Root.assume();
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        String a = "hl-tca-" + suffix;
        String b = "hl-tcb-" + suffix;
        Process dead = null;
        Process live = null;
        try {
            Shell.run("ip", "netns", "add", a);
            Shell.run("ip", "netns", "add", b);
            Shell.run("ip", "-n", a, "link", "add", A_IF, "type", "veth", "peer", "name", "hla1");
            Shell.run("ip", "-n", a, "link", "set", A_IF, "up");
            Shell.run("ip", "-n", b, "link", "add", B_IF, "type", "veth", "peer", "name", "hlb1");
            Shell.run("ip", "-n", b, "link", "set", B_IF, "up");

            dead = startOwner(a, "victim");
            String staleName = attachedName(dead);
            live = startOwner(a, "alive");
            String liveName = attachedName(live);
            // Someone else's cls_bpf filter (classic BPF, "accept everything"): not ours, whatever happens.
            Shell.run("tc", "-n", a, "filter", "add", "dev", A_IF, "ingress", "pref", "4000", "bpf",
                    "bytecode", "1,6 0 0 4294967295,");
            dead.destroyForcibly(); // SIGKILL: it cannot remove its filter
            assertTrue(dead.waitFor(30, TimeUnit.SECONDS));
            assertTrue(filters(a).contains(staleName), "the filter outlived its tracer");

            TracingScript script = new TracingScript(List.of(ProbeDefinition.recording("b",
                    ProbeSpecParser.parse("dev:" + b + "/" + B_IF + ":ingress"))), null, IdentityMode.FINGERPRINT);
            try (TraceSession session = TraceSession.start(script, FilterCompiler.NONE, e -> { },
                    SessionOptions.DEFAULT.withLegacyTc())) {
                assertTrue(Shell.run("tc", "-n", b, "filter", "show", "dev", B_IF, "ingress").contains("vnt-"),
                        "the new trace went through tc clsact");
                TcLegacyLink.Sweep sweep = session.staleTcSweep().orElseThrow();
                assertEquals(List.of(a + " " + staleName), sweep.removed().stream()
                        .filter(r -> a.equals(r.namespace()))
                        .map(r -> r.namespace() + " " + r.filter().name()).toList());
            }
            String after = filters(a);
            assertFalse(after.contains(staleName), "the dead tracer's filter on A is gone: " + after);
            assertTrue(after.contains(liveName), "a live tracer's filter stays: " + after);
            assertTrue(after.contains("pref 4000 bpf"), "the foreign cls_bpf filter stays: " + after);
        } finally {
            if (dead != null) {
                dead.destroyForcibly();
            }
            if (live != null) {
                live.destroyForcibly();
                live.waitFor(30, TimeUnit.SECONDS);
            }
            Shell.quiet("ip", "netns", "del", a);
            Shell.quiet("ip", "netns", "del", b);
        }
    }

    private static Process startOwner(String namespace, String probe) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StaleFilterOwner.class.getName(), namespace, A_IF, probe).redirectErrorStream(true).start();
    }

    private static String attachedName(Process owner) throws Exception {
        String line = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("attached vnt-" + owner.pid() + "-"), "the tracer said: " + line);
        return line.substring("attached ".length());
    }

    private static String filters(String namespace) {
        return Shell.run("tc", "-n", namespace, "filter", "show", "dev", A_IF, "ingress");
    }
}
