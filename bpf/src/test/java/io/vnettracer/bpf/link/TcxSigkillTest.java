package io.vnettracer.bpf.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.VethPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A process that attached TCX probes and died by SIGKILL leaves no link and no program behind. */
class TcxSigkillTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void linksDieWithTheirProcess() throws Exception {
        try (VethPair net = new VethPair("vktk", 2)) {
            int ifindex = LibC.ifNameToIndex(net.outer);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), TcxHolder.class.getName(), net.outer)
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("attached"), "child said: " + line);
                assertEquals(1, TcxQuery.of(ifindex, TcxDirection.INGRESS).count());
                assertEquals(1, TcxQuery.of(ifindex, TcxDirection.EGRESS).count());
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally in the child runs
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            // The kernel releases the links when the last descriptor goes; give it a moment.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (TcxQuery.of(ifindex, TcxDirection.INGRESS).count() + TcxQuery.of(ifindex, TcxDirection.EGRESS).count() > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, TcxQuery.of(ifindex, TcxDirection.INGRESS).count());
            assertEquals(0, TcxQuery.of(ifindex, TcxDirection.EGRESS).count());
        }
    }
}
