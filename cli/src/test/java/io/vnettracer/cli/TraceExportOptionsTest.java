package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vnettracer.bpf.testing.Root;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --prometheus, --otlp and --otlp-sample: bad values and a busy port end with exit code 2 and one
 * clear line before any probe is attached; good ones trace and export. (What the exports contain is
 * checked by the export module's path test.)
 */
class TraceExportOptionsTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

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
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void aBusyPrometheusPortFailsBeforeAnythingIsAttached(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int before = BpfDescriptors.programsAndLinks();
            CommandLineRun run = trace(dir, "--probe", "d=drops", "--duration", "1s", "--prometheus", String.valueOf(taken.getLocalPort()));
            assertBadInput(run, "--prometheus: cannot serve Prometheus metrics on 127.0.0.1:" + taken.getLocalPort() + ": ");
            assertTrue(run.err().contains("choose another [HOST:]PORT"), run.err());
            assertEquals(before, BpfDescriptors.programsAndLinks());
        }
    }

    @Test
    void badExportValues(@TempDir Path dir) {
        assertBadInput(trace(dir, "--probe", "d=drops", "--prometheus", "localhost:http"), "--prometheus 'localhost:http' is not [HOST:]PORT");
        assertBadInput(trace(dir, "--probe", "d=drops", "--prometheus", "70000"), "port 70000 is not in 0..65535");
        assertBadInput(trace(dir, "--probe", "d=drops", "--otlp", "collector:4318"), "--otlp 'collector:4318' is not an http(s)://");
        assertBadInput(trace(dir, "--probe", "d=drops", "--otlp", "http://127.0.0.1:4318", "--otlp-sample", "0"),
                "--otlp-sample must be at least 1");
        assertBadInput(trace(dir, "--probe", "d=drops", "--otlp-sample", "10"), "--otlp-sample needs --otlp URL");
    }

    @Test
    void aTraceServesMetricsAndPostsToTheReceiver(@TempDir Path dir) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger posts = new AtomicInteger();
        receiver.createContext("/v1/traces", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Thread traffic = Thread.ofPlatform().start(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < 150; i++) {
                    s.send(new DatagramPacket(new byte[64], 64, InetAddress.getLoopbackAddress(), 40791));
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            CommandLineRun run = trace(dir, "--probe", "rx=kernel:netif_receive_skb:lo", "--filter", "udp and port 40791",
                    "--duration", "1s", "--quiet",
                    "--prometheus", "127.0.0.1:0", "--otlp", "http://127.0.0.1:" + receiver.getAddress().getPort());
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(posts.get() > 0, "the receiver got the journeys' traces");
        } finally {
            traffic.join();
            receiver.stop(0);
        }
    }
}
