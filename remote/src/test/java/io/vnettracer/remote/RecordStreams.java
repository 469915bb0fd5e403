package io.vnettracer.remote;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.vnettracer.remote.proto.Ack;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An agent's record stream read as a collector reads it, for tests. */
final class RecordStreams {
    private RecordStreams() {}

    /** Opens the stream from the start, acknowledges every batch, returns them once the last one came. */
    static List<Batch> receiveAll(ManagedChannel channel, String trace) throws Exception {
        List<Batch> got = new ArrayList<>();
        CompletableFuture<List<Batch>> done = new CompletableFuture<>();
        @SuppressWarnings("unchecked")
        StreamObserver<Ack>[] out = new StreamObserver[1];
        out[0] = AgentGrpc.newStub(channel).records(new StreamObserver<>() {
            @Override
            public void onNext(Batch b) {
                got.add(b);
                synchronized (out) {
                    out[0].onNext(Ack.newBuilder().setTraceId(trace).setCommitted(b.getSequence()).build());
                    if (b.getLast()) {
                        out[0].onCompleted();
                        done.complete(got);
                    }
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
            out[0].onNext(Ack.newBuilder().setTraceId(trace).setCommitted(0).build());
        }
        return done.get(30, TimeUnit.SECONDS);
    }
}
