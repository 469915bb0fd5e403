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
        assertBadInput(trace(dir, "--probe", "d=drops", "--otlp", "http://u:secret@127.0.0.1:4318"), "the URL holds credentials");
        assertBadInput(trace(dir, "--probe", "d=drops", "--otlp", "http://127.0.0.1:4318", "--otlp-headers-file",
                dir.resolve("none").toString()), "--otlp-headers-file " + dir.resolve("none") + ": cannot read it");
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

    @Test
    void otlpCredentialsComeFromAFileAndPrometheusListensOnLoopback(@TempDir Path dir) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.ConcurrentLinkedQueue<String> authorizations = new java.util.concurrent.ConcurrentLinkedQueue<>();
        receiver.createContext("/v1/traces", exchange -> {
            exchange.getRequestBody().readAllBytes();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Path headers = java.nio.file.Files.writeString(dir.resolve("otlp-headers"), "Authorization: Bearer s3cret\n");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int metricsPort = port;
        Thread traffic = Thread.ofPlatform().start(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < 300; i++) {
                    s.send(new DatagramPacket(new byte[64], 64, InetAddress.getLoopbackAddress(), 40792));
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        java.util.concurrent.atomic.AtomicReference<String> listening = new java.util.concurrent.atomic.AtomicReference<>("");
        Thread look = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 30 && listening.get().isEmpty(); i++) {
                    Thread.sleep(50);
                    Process ss = new ProcessBuilder("ss", "-Hltn").start();
                    listening.set(new String(ss.getInputStream().readAllBytes()).lines()
                            .filter(l -> l.matches(".*:" + metricsPort + "\\s.*")).collect(java.util.stream.Collectors.joining("\n")));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            CommandLineRun run = trace(dir, "--probe", "rx=kernel:netif_receive_skb:lo", "--filter", "udp and port 40792",
                    "--duration", "2s", "--quiet", "--prometheus", String.valueOf(metricsPort),
                    "--otlp", "http://127.0.0.1:" + receiver.getAddress().getPort(), "--otlp-headers-file", headers.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(!authorizations.isEmpty(), "the receiver got the journeys' traces");
            assertTrue(authorizations.stream().allMatch("Bearer s3cret"::equals), authorizations.toString());
        } finally {
            traffic.join();
            look.join();
            receiver.stop(0);
        }
        // Java's sockets are IPv6 ones: loopback shows as [::ffff:127.0.0.1]
        assertTrue(listening.get().matches("LISTEN.*\\s\\[?(::ffff:)?127\\.0\\.0\\.1]?:" + metricsPort + "\\s.*"), listening.get());
        assertEquals(1, listening.get().lines().count(), "only on loopback: " + listening.get());
    }
}
