package io.vnettracer.remote.collect;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vnettracer.remote.proto.Ack;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ClockRequest;
import io.vnettracer.remote.proto.HelloReply;
import io.vnettracer.remote.proto.HelloRequest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The collector's side of one agent: the channel (TLS, the agent's certificate must name the node)
 * and the record stream, which writes each batch to the node's durable log and only then
 * acknowledges it. A broken stream is opened again from the last committed batch until the
 * trace's last batch is in or the link is closed.
 */
final class AgentLink implements AutoCloseable {
    private static final long RECONNECT_MILLIS = 500;
    private static final long RPC_SECONDS = 15;

    final String node;
    final String address;
    private final ManagedChannel channel;
    private final DurableLog log;
    private final Consumer<String> messages;
    private final CountDownLatch complete = new CountDownLatch(1);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicLongArray eventsByProbe =
            new java.util.concurrent.atomic.AtomicLongArray(io.vnettracer.probe.program.ProbeMaps.MAX_PROBES);
    private final java.util.concurrent.atomic.AtomicLongArray lostByProbe =
            new java.util.concurrent.atomic.AtomicLongArray(io.vnettracer.probe.program.ProbeMaps.MAX_PROBES);
    private final AtomicLong ackNanos = new AtomicLong();
    private final AtomicLong maxAckNanos = new AtomicLong();
    private volatile boolean closing;
    private volatile String traceId;
    private volatile ClientCallStreamObserver<Ack> requests;

    AgentLink(String node, String address, ChannelCredentials credentials, DurableLog log, Consumer<String> messages) {
        this.node = node;
        this.address = address;
        this.log = log;
        this.messages = messages;
        this.channel = NettyChannelBuilder.forTarget(address, credentials).overrideAuthority(node).build();
        if (log.complete()) {
            complete.countDown();
        }
    }

    AgentGrpc.AgentBlockingStub rpc() {
        return AgentGrpc.newBlockingStub(channel).withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS);
    }

    HelloReply hello() {
        return rpc().hello(HelloRequest.getDefaultInstance());
    }

    long readClock() {
        return rpc().readClock(ClockRequest.getDefaultInstance()).getAgentNanos();
    }

    /** Opens the record stream of {@code trace}, resuming after the last committed batch. */
    void stream(String trace) {
        this.traceId = trace;
        if (complete.getCount() == 0) {
            return;
        }
        open();
    }

    private void open() {
        if (closing) {
            return;
        }
        AgentGrpc.newStub(channel).records(new ClientResponseObserver<Ack, Batch>() {
            private ClientCallStreamObserver<Ack> out;

            @Override
            public void beforeStart(ClientCallStreamObserver<Ack> requestStream) {
                out = requestStream;
                requests = requestStream;
            }

            @Override
            public void onNext(Batch batch) {
                long received = System.nanoTime();
                boolean fresh = batch.getSequence() > log.lastSequence();
                try {
                    log.append(batch);
                } catch (RuntimeException e) {
                    messages.accept(node + ": " + e.getMessage());
                    out.cancel("the collector could not write the batch", e);
                    return;
                }
                synchronized (out) {
                    out.onNext(Ack.newBuilder().setTraceId(traceId).setCommitted(log.lastSequence()).build());
                }
                long took = System.nanoTime() - received;
                ackNanos.addAndGet(took);
                maxAckNanos.accumulateAndGet(took, Math::max);
                batches.incrementAndGet();
                records.addAndGet(batch.getRecords().size() / io.vnettracer.event.EventLayout.SIZE);
                if (fresh) {
                    countByProbe(batch);
                }
                if (batch.getLast()) {
                    complete.countDown();
                    synchronized (out) {
                        out.onCompleted();
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                if (closing || complete.getCount() == 0) {
                    return;
                }
                if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == io.grpc.Status.Code.PERMISSION_DENIED) {
                    // retrying cannot help: the trace is another collector's
                    messages.accept(node + ": record stream refused (" + describe(t) + "); not retrying");
                    return;
                }
                messages.accept(node + ": record stream broke (" + describe(t) + "); resuming after batch "
                        + log.lastSequence() + " in " + RECONNECT_MILLIS + " ms");
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(RECONNECT_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    open();
                });
            }

            @Override
            public void onCompleted() {
                if (!closing && complete.getCount() != 0) {
                    onError(new IllegalStateException("the agent ended the stream before the last batch"));
                }
            }
        });
        ClientCallStreamObserver<Ack> out = requests;
        synchronized (out) {
            out.onNext(Ack.newBuilder().setTraceId(traceId).setCommitted(log.lastSequence()).build());
        }
    }

    /** Waits until the trace's last batch is durable; false on timeout. */
    /** Records per probe (the agent's ids) and its latest loss counters, for a live listing; once per batch. */
    private void countByProbe(io.vnettracer.remote.proto.Batch batch) {
        java.nio.ByteBuffer r = batch.getRecords().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + io.vnettracer.event.EventLayout.SIZE <= r.limit(); at += io.vnettracer.event.EventLayout.SIZE) {
            int probe = r.getInt(at + io.vnettracer.event.EventLayout.PROBE_ID);
            if (probe >= 0 && probe < eventsByProbe.length()) {
                eventsByProbe.incrementAndGet(probe);
            }
        }
        for (io.vnettracer.remote.proto.ProbeLoss l : batch.getLossesList()) {
            if (l.getProbeId() < lostByProbe.length()) {
                lostByProbe.set(l.getProbeId(), l.getRingLost() + l.getSpoolDropped());
            }
        }
    }

    /** Records of the agent's probe {@code localId} this collector has made durable since it connected. */
    long events(int localId) {
        return localId >= 0 && localId < eventsByProbe.length() ? eventsByProbe.get(localId) : 0;
    }

    /** Ring-lost plus spool-dropped records of the agent's probe {@code localId}, as last reported. */
    long lost(int localId) {
        return localId >= 0 && localId < lostByProbe.length() ? lostByProbe.get(localId) : 0;
    }

    boolean awaitComplete(long millis) throws InterruptedException {
        return complete.await(millis, TimeUnit.MILLISECONDS);
    }

    long batches() {
        return batches.get();
    }

    long records() {
        return records.get();
    }

    /** Mean time from a batch's arrival to its acknowledgement (written and forced), ns. */
    long meanAckNanos() {
        long n = batches.get();
        return n == 0 ? 0 : ackNanos.get() / n;
    }

    long maxAckNanos() {
        return maxAckNanos.get();
    }

    static String describe(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s.getStatus().getCode() + (s.getStatus().getDescription() == null ? "" : ": " + s.getStatus().getDescription());
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        closing = true;
        ClientCallStreamObserver<Ack> out = requests;
        if (out != null && complete.getCount() != 0) {
            out.cancel("the collector is closing", null);
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
