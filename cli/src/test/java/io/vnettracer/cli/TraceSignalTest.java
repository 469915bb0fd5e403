package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.testing.Root;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what Ctrl-C's SIGINT also triggers) ends a trace cleanly: summary printed and written, socket gone. */
class TraceSignalTest {
    @Test
    void aSignalEndsTheTraceWithItsSummary(@TempDir Path dir) throws Exception {
        Root.assume();
        Path json = dir.resolve("summary.json");
        Path out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "trace", "--run-dir", dir.toString(), "--probe", "d=drops", "--json", json.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            Path socket = dir.resolve(p.pid() + ".sock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(socket), "the trace attached: " + Files.readString(out));
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the trace ended after SIGTERM");
            assertEquals(128 + 15, p.exitValue());
            String printed = Files.readString(out);
            assertTrue(printed.contains("Probes\n"), printed);
            JsonNode summary = new ObjectMapper().readTree(json.toFile());
            assertEquals("d", summary.get("probes").get(0).get("name").asText());
            assertFalse(Files.exists(socket), "the control socket is removed");
        } finally {
            p.destroyForcibly();
        }
    }
}
