package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.features.Features;
import io.vnettracer.bpf.features.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code doctor} in a real child process whose capabilities were dropped (setpriv(1) empties
 * the bounding set, so even uid 0 has none), as an unprivileged user would.
 */
class DoctorWithoutPrivilegesTest {
    @Test
    void reportsPrivilegesMissingAndExitsOne() throws Exception {
        assumeTrue(Privileges.ofCurrentProcess().isRoot(), "needs root to drop capabilities from a child");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux; run scripts/setup)");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElseThrow();

        Processes.Result r = Processes.run(List.of("/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all",
                        "--", java, "-cp", classPath, Main.class.getName(), "doctor", "--json"),
                Path.of("/"), Map.of(), List.of());

        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.get(Features.PRIVILEGES).asBoolean(), r.out());
        assertTrue(json.get(Features.KERNEL_VERSION).asBoolean(), r.out());
        assertEquals(1, r.exitCode(), r.err());
    }

    @Test
    void traceWithoutPrivilegesSaysWhatItNeedsAndAttachesNothing() throws Exception {
        assumeTrue(Privileges.ofCurrentProcess().isRoot(), "needs root to drop capabilities from a child");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux; run scripts/setup)");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElseThrow();

        Processes.Result r = Processes.run(List.of("/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all",
                        "--", java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath, Main.class.getName(),
                        "trace", "--probe", "rx=kernel:netif_receive_skb", "--duration", "1s"),
                Path.of("/"), Map.of(), List.of());

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("vnettracer trace needs root (or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON)"), r.err());
        assertEquals("", r.out());
    }
}
