package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.event.EventLayout;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.collect.DurableLog;
import io.vnettracer.remote.proto.Ack;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.proto.StopRequest;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast records cross the stream: an agent spools a flood while no collector is connected, then
 * a receiver that writes each batch to a {@link DurableLog} (forced) before acknowledging it, as
 * the collector does, drains the spool. Prints records/s and ack latency; asserts only that every
 * record arrived or was counted lost.
 */
class StreamThroughputTest {
    private static final String NS = "vtag-tput";
    private static final int DATAGRAMS = 100_000;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void drainsASpooledFloodThroughTheDurableLog() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1");
        Shell.quiet("ip", "netns", "del", NS);
        Shell.run("ip", "netns", "add", NS);
        try (AgentServer agent = AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), System.out::println)) {
            Shell.run("ip", "-n", NS, "link", "set", "lo", "up");
            ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(),
                    MutualTls.client(new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR))).overrideAuthority("vm1").build();
            try (DurableLog log = DurableLog.open(tmp.resolve("vm1.log"))) {
                AgentGrpc.AgentBlockingStub rpc = AgentGrpc.newBlockingStub(channel);
                rpc.start(StartRequest.newBuilder().setTraceId("t-tput")
                        .setScript("filter udp and port 9999\nprobe rx dev:" + NS + "/lo:ingress\n").build());
                try (NetNamespace ns = NetNamespace.named(NS)) {
                    ns.execute(() -> {
                        try (DatagramSocket s = new DatagramSocket()) {
                            DatagramPacket p = new DatagramPacket(new byte[64], 64, new InetSocketAddress("127.0.0.1", 9999));
                            for (int i = 0; i < DATAGRAMS; i++) {
                                try {
                                    s.send(p);
                                } catch (java.net.PortUnreachableException icmp) {
                                    i--; // the send did not happen: an ICMP error of an earlier datagram surfaced
                                }
                            }
                        }
                    });
                }
                Thread.sleep(200);
                rpc.stop(StopRequest.getDefaultInstance());

                AtomicLong records = new AtomicLong();
                AtomicLong ackNanos = new AtomicLong();
                AtomicLong batches = new AtomicLong();
                long[] ringLost = new long[1];
                CompletableFuture<Void> done = new CompletableFuture<>();
                StreamObserver<Ack>[] out = new StreamObserver[1];
                long started = System.nanoTime();
                out[0] = AgentGrpc.newStub(channel).records(new StreamObserver<>() {
                    @Override
                    public void onNext(Batch b) {
                        long t = System.nanoTime();
                        log.append(b);
                        synchronized (out) {
                            out[0].onNext(Ack.newBuilder().setTraceId("t-tput").setCommitted(b.getSequence()).build());
                        }
                        ackNanos.addAndGet(System.nanoTime() - t);
                        batches.incrementAndGet();
                        records.addAndGet(b.getRecords().size() / EventLayout.SIZE);
                        if (b.getLast()) {
                            b.getLossesList().forEach(l -> ringLost[0] += l.getRingLost());
                            synchronized (out) {
                                out[0].onCompleted();
                            }
                            done.complete(null);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
                synchronized (out) {
                    out[0].onNext(Ack.newBuilder().setTraceId("t-tput").setCommitted(0).build());
                }
                done.get(120, TimeUnit.SECONDS);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("stream: %d records in %d batches in %.2f s: %.0f records/s; write+force+ack %.2f ms mean; ring lost %d%n",
                        records.get(), batches.get(), seconds, records.get() / seconds,
                        ackNanos.get() / 1e6 / batches.get(), ringLost[0]);
                assertEquals(DATAGRAMS, records.get() + ringLost[0], "every datagram delivered or counted");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            Shell.quiet("ip", "netns", "del", NS);
        }
    }
}
