package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.testing.BridgedNamespaces;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic cannot make the tracer's memory grow without bound (issue: 300 000 distinct flows):
 * {@code vnettracer trace} runs as its own JVM with the launcher's settings and two device
 * probes while a client sends one datagram from each of 300 000 distinct 5-tuples (every source
 * port, times five destination ports). The trace must end with its summary, its peak resident
 * memory under 600 MB, and every flow it did not keep on its own counted (evicted or folded into
 * "other flows"): sent adds up to what the client sent.
 */
class ManyFlowsMemoryTest {
    private static final int FIRST_PORT = 41000;
    private static final int DESTINATION_PORTS = 5;
    private static final int FIRST_SOURCE_PORT = 1024;
    private static final int SOURCE_PORTS = 60_000;
    private static final long PEAK_RSS_LIMIT_KB = 600 * 1024;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void threeHundredThousandFlowsStayUnderSixHundredMegabytes(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        try (BridgedNamespaces net = new BridgedNamespaces("vmany", 103)) {
            List<String> command = new ArrayList<>(List.of(
                    javaBinary(), "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "trace", "--run-dir", dir.toString(), "--quiet", "--json", json.toString(),
                    "--filter", "udp",
                    "--probe", "a_out=dev:" + net.a + "/" + net.aInner + ":egress",
                    "--probe", "b_in=dev:" + net.b + "/" + net.bInner + ":ingress"));
            Process trace = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve("out.txt").toFile())
                    .redirectError(dir.resolve("err.txt").toFile())
                    .start();
            PeakRss peak = new PeakRss(trace.pid());
            Thread watcher = Thread.ofPlatform().daemon().start(peak);
            try {
                awaitAttached(trace, dir.resolve(trace.pid() + ".sock"), dir);
                long sent = sendFromEveryTuple(net);
                Thread.sleep(3_000); // the joiner's 2 s timeout: every journey finalized before the end
                trace.destroy();
                assertTrue(trace.waitFor(120, TimeUnit.SECONDS), "the trace ended within 120 s of SIGTERM");
                watcher.join(1_000);
                String err = Files.readString(dir.resolve("err.txt"));
                System.out.println("many flows: sent " + sent + " datagrams from distinct 5-tuples; peak RSS "
                        + peak.maxKb / 1024 + " MB; exit " + trace.exitValue() + "; stderr: " + err.strip());
                assertEquals(128 + 15, trace.exitValue(), "SIGTERM ends the trace cleanly: " + err);
                JsonNode summary = new ObjectMapper().readTree(json.toFile());
                long summarySent = 0;
                for (JsonNode f : summary.get("flows")) summarySent += f.get("sent").asLong();
                JsonNode other = summary.get("other_flows");
                String context = summary.get("flows").size() + " flows listed; other_flows " + other
                        + "; flow_table " + summary.get("flow_table");
                System.out.println("many flows: " + context);
                summarySent += other.get("sent").asLong();
                assertEquals(sent, summarySent, "every datagram the client sent is in a flow row or in other_flows: " + context);
                assertEquals(sent, summary.get("flows").size() + other.get("flows").asLong(),
                        "every 5-tuple is a row or folded: " + context);
                assertTrue(other.get("flows").asLong() > 0, "the excess was folded: " + context);
                assertTrue(summary.get("flow_table").get("folded").asLong() > 0, "folds are counted: " + context);
                assertTrue(peak.maxKb < PEAK_RSS_LIMIT_KB, "peak RSS " + peak.maxKb / 1024 + " MB < 600 MB: " + context);
            } finally {
                trace.destroyForcibly();
                trace.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** One datagram from each source port to each destination port; returns how many were sent. */
    private static long sendFromEveryTuple(BridgedNamespaces net) throws Exception {
        AtomicLong sent = new AtomicLong();
        try (NetNamespace a = NetNamespace.named(net.a)) {
            a.execute(() -> {
                ByteBuffer payload = ByteBuffer.allocateDirect(32);
                for (int d = 0; d < DESTINATION_PORTS; d++) {
                    InetSocketAddress to = new InetSocketAddress(net.bAddress, FIRST_PORT + d);
                    for (int s = 0; s < SOURCE_PORTS; s++) {
                        try (DatagramChannel ch = DatagramChannel.open()) {
                            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                            ch.bind(new InetSocketAddress(net.aAddress, FIRST_SOURCE_PORT + s));
                            payload.clear();
                            if (ch.send(payload, to) > 0) sent.incrementAndGet();
                        }
                        // Paced (about 40 000 a second) so that the path, not the sender, stays the bottleneck-free part.
                        if ((s & 1023) == 1023) Thread.sleep(20);
                    }
                }
            });
        }
        return sent.get();
    }

    private static void awaitAttached(Process trace, Path socket, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!trace.isAlive()) {
                throw new AssertionError("the trace ended before attaching: " + Files.readString(dir.resolve("err.txt")));
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the trace did not attach within 30 s");
            Thread.sleep(20);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The highest VmHWM /proc reports for the process while it lives (read every 50 ms). */
    private static final class PeakRss implements Runnable {
        private final long pid;
        volatile long maxKb;

        PeakRss(long pid) {
            this.pid = pid;
        }

        @Override
        public void run() {
            Path status = Path.of("/proc", Long.toString(pid), "status");
            while (true) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            long kb = Long.parseLong(line.replaceAll("\\D", ""));
                            if (kb > maxKb) maxKb = kb;
                        }
                    }
                    Thread.sleep(50);
                } catch (Exception gone) {
                    return;
                }
            }
        }
    }
}
