package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.event.EventLayout;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ChangeReply;
import io.vnettracer.remote.proto.ChangeRequest;
import io.vnettracer.remote.proto.HelloRequest;
import io.vnettracer.remote.proto.ProbeInfo;
import io.vnettracer.remote.proto.ProbeLoss;
import io.vnettracer.remote.proto.SetFilter;
import io.vnettracer.remote.proto.SetSample;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.proto.StopRequest;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent with no collector connected and a spool too small for the traffic: it keeps tracing,
 * drops whole batches it cannot keep and counts their records against the probe; what arrives
 * plus what was counted is exactly what was sent. Live changes go through on the way.
 */
class AgentSpoolAndChangesTest {
    private static final String NS = "vtag-spool";
    private static final int SENT = 4000;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void countsWhatTheSpoolDropsAndAppliesLiveChanges() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1");
        Shell.quiet("ip", "netns", "del", NS);
        Shell.run("ip", "netns", "add", NS);
        try (AgentServer agent = AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                64 << 10, 0, SessionOptions.DEFAULT), System.out::println)) {
            Shell.run("ip", "-n", NS, "link", "set", "lo", "up");
            ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(),
                    MutualTls.client(new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR))).overrideAuthority("vm1").build();
            try {
                AgentGrpc.AgentBlockingStub rpc = AgentGrpc.newBlockingStub(channel);
                rpc.start(StartRequest.newBuilder().setTraceId("t-spool")
                        .setScript("filter udp and port 9999\nprobe rx dev:" + NS + "/lo:ingress\n").build());
                ChangeReply added = rpc.change(ChangeRequest.newBuilder().setAddProbe("probe tx dev:" + NS + "/lo:egress").build());
                assertEquals(1, added.getAdded().getId());
                rpc.change(ChangeRequest.newBuilder().setSetFilter(SetFilter.newBuilder().setProbe("tx")
                        .setExpression("udp and port 9998")).build());
                rpc.change(ChangeRequest.newBuilder().setSetSample(SetSample.newBuilder().setProbe("rx").setEvery(1)).build());
                assertEquals(List.of("rx", "tx"), rpc.hello(HelloRequest.getDefaultInstance()).getProbesList().stream()
                        .map(ProbeInfo::getName).toList());
                ChangeReply removed = rpc.change(ChangeRequest.newBuilder().setRemoveProbe("tx").build());
                assertTrue(removed.getMicros() >= 0);

                int sent = Traffic.udpFromNamespace(NS, "127.0.0.1", 9999, SENT);
                Thread.sleep(200);
                rpc.stop(StopRequest.getDefaultInstance());

                List<Batch> batches = RecordStreams.receiveAll(channel, "t-spool");
                long records = 0;
                for (Batch b : batches) {
                    ByteBuffer r = b.getRecords().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int at = 0; at < r.limit(); at += EventLayout.SIZE) {
                        assertEquals(0, r.getInt(at + EventLayout.PROBE_ID), "only rx records");
                        records++;
                    }
                }
                Batch last = batches.get(batches.size() - 1);
                assertTrue(last.getLast());
                ProbeLoss rx = last.getLossesList().stream().filter(l -> l.getProbeId() == 0).findFirst().orElseThrow();
                System.out.printf("spool 64K: sent %d, delivered %d records in %d batches, spool dropped %d, ring lost %d%n",
                        sent, records, batches.size(), rx.getSpoolDropped(), rx.getRingLost());
                assertTrue(rx.getSpoolDropped() > 0, "the spool was too small");
                assertEquals(sent, records + rx.getSpoolDropped() + rx.getRingLost(), "every record delivered or counted");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            Shell.quiet("ip", "netns", "del", NS);
        }
    }
}
