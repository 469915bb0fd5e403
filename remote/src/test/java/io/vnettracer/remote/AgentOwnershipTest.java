package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.EventLayout;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.proto.Ack;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ChangeRequest;
import io.vnettracer.remote.proto.HelloReply;
import io.vnettracer.remote.proto.HelloRequest;
import io.vnettracer.remote.proto.SetFilter;
import io.vnettracer.remote.proto.SetSample;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.proto.StopRequest;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace belongs to the collector that started it. Another collector from the same CA, with
 * another name or with the same name and its own key, cannot read its record stream, acknowledge
 * (and so discard) its batches, change, stop or replace it, or list its probes; each is refused
 * PERMISSION_DENIED and logged once per collector, without what it sent. The owner still gets
 * every batch.
 */
class AgentOwnershipTest {
    private static final String SCRIPT = "probe rx dev:lo:ingress\n";
    private static final String MARKER = "payload-marker-7c1f";
    private static final int DATAGRAMS = 200;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void onlyTheCollectorThatStartedATraceCanReadAcknowledgeChangeOrStopIt() throws Exception {
        Path tls = TestPki.createWithCollectors(tmp.resolve("tls"), List.of("collector-b", "twin/" + TlsFiles.DEFAULT_COLLECTOR), "vm1");
        List<String> log = new CopyOnWriteArrayList<>();
        try (AgentServer agent = AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), log::add)) {
            ManagedChannel a = channel(agent, new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR));
            ManagedChannel b = channel(agent, new TlsFiles(tls, "collector-b"));
            ManagedChannel twin = channel(agent, new TlsFiles(tls.resolve("twin"), TlsFiles.DEFAULT_COLLECTOR));
            try {
                AgentGrpc.AgentBlockingStub owner = rpc(a);
                owner.start(StartRequest.newBuilder().setTraceId("t1").setScript(SCRIPT).setSource("test").build());
                sendDatagrams();
                Thread.sleep(300); // the batcher seals what it gathered every 20 ms

                for (ManagedChannel other : List.of(b, twin)) {
                    AgentGrpc.AgentBlockingStub stranger = rpc(other);
                    denied(() -> stranger.stop(StopRequest.getDefaultInstance()));
                    denied(() -> stranger.change(ChangeRequest.newBuilder().setSetSample(
                            SetSample.newBuilder().setProbe("rx").setEvery(1000)).build()));
                    denied(() -> stranger.change(ChangeRequest.newBuilder().setSetFilter(
                            SetFilter.newBuilder().setProbe("rx").setExpression("udp and port 4242 " + MARKER)).build()));
                    denied(() -> stranger.start(StartRequest.newBuilder().setTraceId("t2").setScript(SCRIPT).build()));
                    Object first = firstOfStream(other, Ack.newBuilder().setTraceId("t1").setCommitted(1_000_000).build());
                    StatusRuntimeException refused = assertInstanceOf(StatusRuntimeException.class, first,
                            "another collector's stream must be refused, not fed: " + first);
                    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(), refused.toString());

                    HelloReply hello = stranger.hello(HelloRequest.getDefaultInstance());
                    assertEquals("t1", hello.getTraceId(), "others may see that the node is busy, and with what");
                    assertTrue(hello.getTracing());
                    assertFalse(hello.getHeldByCaller());
                    assertTrue(hello.getHolder().startsWith("CN=collector (key sha256:"), hello.getHolder());
                    assertEquals(0, hello.getProbesCount(), "but not the trace's probes");
                }
                HelloReply mine = owner.hello(HelloRequest.getDefaultInstance());
                assertTrue(mine.getHeldByCaller());
                assertEquals(List.of("rx"), mine.getProbesList().stream().map(p -> p.getName()).toList());

                List<String> refusals = log.stream().filter(l -> l.startsWith("refused ")).toList();
                System.out.println("agent log of refusals: " + refusals);
                assertEquals(2, refusals.size(), "one line per refused collector: " + refusals);
                assertTrue(refusals.get(0).startsWith("refused a Stop of collector CN=collector-b (key sha256:"), refusals.get(0));
                assertTrue(refusals.get(1).startsWith("refused a Stop of collector CN=collector (key sha256:"), refusals.get(1));
                assertTrue(log.stream().noneMatch(l -> l.contains(MARKER) || l.contains("4242")), "no request content logged: " + log);

                // The owner still changes, stops and reads everything: the strangers' acknowledgement discarded nothing.
                owner.change(ChangeRequest.newBuilder().setSetSample(SetSample.newBuilder().setProbe("rx").setEvery(1)).build());
                long last = owner.stop(StopRequest.getDefaultInstance()).getLastSequence();
                denied(() -> rpc(b).start(StartRequest.newBuilder().setTraceId("t2").setScript(SCRIPT).build()));
                List<Batch> batches = RecordStreams.receiveAll(a, "t1");
                assertEquals(last, batches.size());
                long records = 0;
                for (int i = 0; i < batches.size(); i++) {
                    assertEquals(i + 1, batches.get(i).getSequence(), "every batch from the first");
                    records += batches.get(i).getRecords().size() / EventLayout.SIZE;
                }
                System.out.printf("owner received %d batches, %d records after %d datagrams%n", batches.size(), records, DATAGRAMS);
                assertTrue(records >= DATAGRAMS, "every datagram's record reached the owner: " + records);
                assertTrue(log.stream().anyMatch(l -> l.startsWith("stopped t1 after ") && l.contains("refused 10 calls of other collectors")),
                        log.toString());

                // Once the owner has everything, another collector may start the node's next trace. The owner's
                // last acknowledgement is sent as its last batch arrives and taken by the agent a moment later.
                startOnceAcknowledged(rpc(b), StartRequest.newBuilder().setTraceId("t2").setScript(SCRIPT).build());
                denied(() -> owner.stop(StopRequest.getDefaultInstance()));
                rpc(b).stop(StopRequest.getDefaultInstance());
            } finally {
                for (ManagedChannel c : List.of(a, b, twin)) {
                    c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static ManagedChannel channel(AgentServer agent, TlsFiles files) {
        return NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(), MutualTls.client(files)).overrideAuthority("vm1").build();
    }

    private static AgentGrpc.AgentBlockingStub rpc(ManagedChannel c) {
        return AgentGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static void denied(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
        String why = e.getStatus().getDescription();
        assertTrue(why.contains("CN=collector (key sha256:"), "says who holds the trace: " + why);
    }

    private static void sendDatagrams() throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] data = new byte[32];
            for (int i = 0; i < DATAGRAMS; i++) {
                s.send(new DatagramPacket(data, data.length, new InetSocketAddress("127.0.0.1", 9)));
            }
        }
    }

    /** Opens a record stream with {@code first} and returns what comes back first: a Batch or the error. */
    private static Object firstOfStream(ManagedChannel channel, Ack first) throws Exception {
        CompletableFuture<Object> got = new CompletableFuture<>();
        StreamObserver<Ack> out = AgentGrpc.newStub(channel).records(new StreamObserver<>() {
            @Override
            public void onNext(Batch b) {
                got.complete(b);
            }

            @Override
            public void onError(Throwable t) {
                got.complete(t);
            }

            @Override
            public void onCompleted() {
                got.complete("completed");
            }
        });
        out.onNext(first);
        Object result = got.get(10, TimeUnit.SECONDS);
        if (result instanceof Batch) {
            out.onError(new IllegalStateException("test done"));
        }
        return result;
    }

    /** Starts {@code request}, waiting up to 5 s while the agent has not yet taken the last acknowledgement. */
    private static void startOnceAcknowledged(AgentGrpc.AgentBlockingStub stub, StartRequest request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                stub.start(request);
                return;
            } catch (io.grpc.StatusRuntimeException e) {
                boolean pending = e.getStatus().getCode() == io.grpc.Status.Code.PERMISSION_DENIED
                        && String.valueOf(e.getStatus().getDescription()).contains("not yet acknowledged");
                if (!pending || System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }
}
