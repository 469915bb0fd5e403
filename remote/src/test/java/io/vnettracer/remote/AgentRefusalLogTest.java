package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.HelloRequest;
import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a refused connection sent stays out of the agent's log: plaintext garbage, an HTTP/1.1
 * request, an HTTP/2 preface (a gRPC client without TLS) and a TLS client with a certificate from another CA (its name and SNI carrying the
 * marker) each give one line saying who was refused and why, and neither the marker nor its hex
 * appear in the agent's log lines, in java.util.logging at the level the agent prints (INFO), or
 * on stderr. Needs no root: nothing is loaded.
 */
class AgentRefusalLogTest {
    private static final String MARKER = "LEAKMARK-5eb1c0de";

    @TempDir
    Path tmp;

    @Test
    void refusedConnectionsAreOneLineWithoutTheirBytes() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1");
        Path stranger = tmp.resolve("stranger");
        CertificateAuthority.create(stranger, "CA " + MARKER).issueCollector(stranger, "collector-" + MARKER);

        List<String> log = new CopyOnWriteArrayList<>();
        List<String> jul = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    StringBuilder s = new StringBuilder(r.getLoggerName() + " " + r.getMessage());
                    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                        s.append(" | ").append(t);
                    }
                    jul.add(s.toString());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(err, stderr), true));
        try (AgentServer agent = AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), log::add)) {
            int refusals = 0;
            sendRaw(agent.port(), ("GARBAGE " + MARKER + " \u0000\u0001\u0002 more bytes " + MARKER + "\r\n").getBytes(StandardCharsets.UTF_8));
            waitFor(log, ++refusals);
            sendRaw(agent.port(), ("GET /" + MARKER + " HTTP/1.1\r\nHost: " + MARKER + "\r\nUser-Agent: " + MARKER
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            waitFor(log, ++refusals);
            sendRaw(agent.port(), ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + MARKER).getBytes(StandardCharsets.US_ASCII));
            waitFor(log, ++refusals);

            ChannelCredentials wrongCa = io.grpc.TlsChannelCredentials.newBuilder()
                    .keyManager(new TlsFiles(stranger, "collector-" + MARKER).certificate().toFile(),
                            new TlsFiles(stranger, "collector-" + MARKER).key().toFile())
                    .trustManager(tls.resolve("ca.pem").toFile()).build();
            ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(), wrongCa)
                    .overrideAuthority("localhost").build();
            try {
                assertThrows(StatusRuntimeException.class, () -> AgentGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS).hello(HelloRequest.getDefaultInstance()));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            waitFor(log, ++refusals);

            // The agent still serves its own collector.
            ManagedChannel good = NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(),
                    MutualTls.client(new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR))).overrideAuthority("vm1").build();
            try {
                assertEquals("vm1", AgentGrpc.newBlockingStub(good).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .hello(HelloRequest.getDefaultInstance()).getNode());
            } finally {
                good.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            Thread.sleep(300); // late log lines of the refused connections
        } finally {
            System.setErr(stderr);
            root.removeHandler(capture);
        }
        System.out.println("agent log: " + log);
        System.out.println("java.util.logging at INFO and above: " + jul);
        String stderrText = err.toString(StandardCharsets.UTF_8);
        System.out.println("stderr: " + stderrText);
        List<String> refused = log.stream().filter(l -> l.startsWith("refused /127.0.0.1:")).toList();
        assertEquals(4, refused.size(), log.toString());
        assertTrue(refused.get(0).endsWith(" in the TLS handshake: not TLS (unrecognised data; its bytes are not logged)"), refused.get(0));
        assertTrue(refused.get(1).endsWith(": not TLS (a plaintext HTTP/1 request; its bytes are not logged)"), refused.get(1));
        assertTrue(refused.get(2).endsWith(": not TLS (plaintext HTTP/2: a gRPC client without TLS?; its bytes are not logged)"),
                refused.get(2));
        assertTrue(refused.get(3).contains(" in the TLS handshake: "), refused.get(3));
        for (String l : log) {
            assertFalse(l.contains("\n"), "one line: " + l);
            assertTrue(l.length() < 300, "short: " + l);
        }
        String all = String.join("\n", log) + "\n" + String.join("\n", jul) + "\n" + stderrText;
        String hex = HexFormat.of().formatHex(MARKER.getBytes(StandardCharsets.US_ASCII));
        assertFalse(all.contains(MARKER), "the marker leaked:\n" + all);
        assertFalse(all.toLowerCase(Locale.ROOT).contains(hex.substring(0, 16)), "the marker's hex leaked:\n" + all);
    }

    private static void sendRaw(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            s.setSoTimeout(5000);
            try {
                while (s.getInputStream().read() >= 0) {
                    // until the agent closes the connection
                }
            } catch (java.io.IOException closed) {
                // a reset is a close too
            }
        }
    }

    private static void waitFor(List<String> log, int refusals) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (log.stream().filter(l -> l.startsWith("refused ")).count() < refusals && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(refusals, log.stream().filter(l -> l.startsWith("refused ")).count(), "a line per refusal: " + log);
    }

    /** Writes to both: the test keeps what was printed, the console still shows it. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
