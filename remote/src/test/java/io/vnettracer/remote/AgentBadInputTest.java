package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.ChangeRequest;
import io.vnettracer.remote.proto.HelloRequest;
import io.vnettracer.remote.proto.SetFilter;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input an agent cannot use: a filter over the limits or too many probes is refused with
 * INVALID_ARGUMENT and the limit's message (before the limits, a 5000-term filter overflowed the
 * stack of the transport thread and the collector got UNKNOWN), nothing attached, the running
 * trace untouched; a key that does not belong to the agent's certificate stops it from starting.
 */
class AgentBadInputTest {
    private static final String FIVE_THOUSAND_TERMS = String.join(" or ", Collections.nCopies(5_000, "ip"));

    @TempDir
    Path tmp;

    private static AgentServer agent(Path tls) {
        return AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), System.out::println);
    }

    private static StatusRuntimeException refusedStart(AgentGrpc.AgentBlockingStub rpc, String script) {
        return assertThrows(StatusRuntimeException.class, () -> rpc.withDeadlineAfter(20, TimeUnit.SECONDS)
                .start(StartRequest.newBuilder().setTraceId("t-bad").setScript(script).setSource("bad.vnt").build()));
    }

    @Test
    void filtersOverTheLimitsAndTooManyProbesAreInvalidArguments() {
        Root.assume();
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1");
        int before = BpfObjects.programsAndLinks();
        try (AgentServer agent = agent(tls)) {
            ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(),
                    MutualTls.client(new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR))).overrideAuthority("vm1").build();
            try {
                AgentGrpc.AgentBlockingStub rpc = AgentGrpc.newBlockingStub(channel);
                StatusRuntimeException many = refusedStart(rpc, "probe rx dev:lo:ingress filter " + FIVE_THOUSAND_TERMS + "\n");
                assertEquals(Status.Code.INVALID_ARGUMENT, many.getStatus().getCode(), many.toString());
                assertTrue(many.getStatus().getDescription().startsWith(
                        "filter of probe 'rx': filter error at column 6001: more than 1000 primitives"), many.getStatus().getDescription());

                StatusRuntimeException deep = refusedStart(rpc, "filter " + "not ".repeat(16_000) + "udp\nprobe rx dev:lo:ingress\n");
                assertEquals(Status.Code.INVALID_ARGUMENT, deep.getStatus().getCode(), deep.toString());
                assertTrue(deep.getStatus().getDescription().contains("nested more than 100 levels deep"), deep.getStatus().getDescription());

                StringBuilder probes = new StringBuilder();
                for (int i = 0; i < 65; i++) {
                    probes.append("probe d").append(i).append(" drops\n");
                }
                StatusRuntimeException tooMany = refusedStart(rpc, probes.toString());
                assertEquals(Status.Code.INVALID_ARGUMENT, tooMany.getStatus().getCode(), tooMany.toString());
                assertEquals("the script has 65 probes; a trace attaches at most 64 (probe 'd64' is the first past the limit)",
                        tooMany.getStatus().getDescription());
                assertEquals(before, BpfObjects.programsAndLinks(), "nothing attached for refused scripts");

                rpc.start(StartRequest.newBuilder().setTraceId("t-good").setScript("probe rx dev:lo:ingress\n").build());
                StatusRuntimeException change = assertThrows(StatusRuntimeException.class, () -> rpc.change(ChangeRequest.newBuilder()
                        .setSetFilter(SetFilter.newBuilder().setProbe("rx").setExpression(FIVE_THOUSAND_TERMS)).build()));
                assertEquals(Status.Code.INVALID_ARGUMENT, change.getStatus().getCode(), change.toString());
                assertTrue(change.getStatus().getDescription().contains("more than 1000 primitives"), change.getStatus().getDescription());
                assertTrue(rpc.hello(HelloRequest.getDefaultInstance()).getTracing(), "the trace goes on");
            } finally {
                channel.shutdownNow();
            }
        }
        assertEquals(before, BpfObjects.programsAndLinks());
    }

    @Test
    void anAgentWhoseKeyIsNotItsCertificatesRefusesToStart() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1", "vm2");
        Files.copy(tls.resolve("vm2.key"), tls.resolve("vm1.key"), StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> agent(tls).close());
        assertEquals("the key " + tls.resolve("vm1.key") + " does not belong to the certificate " + tls.resolve("vm1.pem")
                + " (its public key is another); issue the pair again with 'vnettracer certs --dir " + tls + " --node vm1'",
                e.getMessage());
        Files.writeString(tls.resolve("vm1.key"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        IllegalArgumentException notAKey = assertThrows(IllegalArgumentException.class, () -> agent(tls).close());
        assertTrue(notAKey.getMessage().startsWith(tls.resolve("vm1.key") + " "), notAKey.getMessage());
    }
}
