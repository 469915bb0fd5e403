package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's door: clients without a certificate, with one from another CA, or with an agent's
 * (server-only) certificate are refused in the TLS handshake, each refusal is logged with the
 * peer's address, and no BPF program or link appears. A bad script from a good client is refused
 * with the tracer's message, also before anything is loaded.
 */
class AgentSecurityTest {
    private static final String SCRIPT = "probe rx dev:lo:ingress\n";

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void refusesClientsWithoutACertificateFromItsCa() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1", "vm2");
        Path other = TestPki.create(tmp.resolve("other"), "vm1");
        List<String> log = new CopyOnWriteArrayList<>();
        int before = BpfObjects.programsAndLinks();
        try (AgentServer agent = AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), log::add)) {
            ChannelCredentials noCertificate = TlsChannelCredentials.newBuilder()
                    .trustManager(tls.resolve("ca.pem").toFile()).build();
            ChannelCredentials otherCa = TlsChannelCredentials.newBuilder()
                    .keyManager(other.resolve("collector.pem").toFile(), other.resolve("collector.key").toFile())
                    .trustManager(tls.resolve("ca.pem").toFile()).build();
            ChannelCredentials agentCertificate = TlsChannelCredentials.newBuilder()
                    .keyManager(tls.resolve("vm2.pem").toFile(), tls.resolve("vm2.key").toFile())
                    .trustManager(tls.resolve("ca.pem").toFile()).build();
            for (ChannelCredentials refused : List.of(noCertificate, otherCa, agentCertificate)) {
                int logged = log.size();
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> start(agent.port(), refused, SCRIPT));
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
                waitFor(() -> log.size() > logged);
                String line = log.get(log.size() - 1);
                assertTrue(line.startsWith("refused /127.0.0.1:") && line.contains("TLS handshake"), line);
                System.out.println("agent log: " + line);
            }
            assertEquals(before, BpfObjects.programsAndLinks(), "nothing attached for refused clients");

            ChannelCredentials collector = MutualTls.client(new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR));
            StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                    () -> start(agent.port(), collector, "probe rx dev:vtag-nosuch0:ingress\n"));
            assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
            assertTrue(bad.getStatus().getDescription().startsWith("probe 'rx' (dev:vtag-nosuch0:ingress): "),
                    bad.getStatus().getDescription());
            StatusRuntimeException badFilter = assertThrows(StatusRuntimeException.class,
                    () -> start(agent.port(), collector, "probe rx dev:lo:ingress filter \"udp and port\"\n"));
            assertTrue(badFilter.getStatus().getDescription().startsWith("filter of probe 'rx': "),
                    badFilter.getStatus().getDescription());
            assertEquals(before, BpfObjects.programsAndLinks(), "nothing attached for refused scripts");

            start(agent.port(), collector, SCRIPT);
            assertTrue(BpfObjects.programsAndLinks() > before, "a good client with a good script attaches");
        }
        assertEquals(before, BpfObjects.programsAndLinks(), "closing the agent detaches everything");
        for (String f : List.of("ca.key", "vm1.key", "collector.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve(f))), f);
        }
    }

    private static void start(int port, ChannelCredentials credentials, String script) {
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + port, credentials).overrideAuthority("vm1").build();
        try {
            AgentGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .start(StartRequest.newBuilder().setTraceId("t1").setScript(script).setSource("test").build());
        } finally {
            channel.shutdownNow();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 5 s");
    }
}
