package io.vnettracer.remote.agent;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vnettracer.remote.proto.Ack;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.worker.Worker;
import java.util.function.Function;

/**
 * One record stream to a collector. The first {@link Ack} names the trace and the last batch the
 * collector has committed; batches after it are sent on a thread of their own while gRPC's flow
 * control says the stream is ready and fewer than {@link #WINDOW} batches are unacknowledged.
 */
final class RecordSender implements StreamObserver<Ack> {
    static final int WINDOW = 16;

    private final ServerCallStreamObserver<Batch> out;
    /** The trace a stream's first Ack names, or a StatusRuntimeException saying why the caller may not have it. */
    private final Function<String, AgentTrace> traces;
    private final java.util.function.Consumer<String> log;
    private volatile AgentTrace trace;
    private volatile boolean ended;
    private Worker thread;

    RecordSender(StreamObserver<Batch> out, Function<String, AgentTrace> traces, java.util.function.Consumer<String> log) {
        this.out = (ServerCallStreamObserver<Batch>) out;
        this.traces = traces;
        this.log = log;
        this.out.setOnReadyHandler(this::wake);
        this.out.setOnCancelHandler(this::end);
    }

    @Override
    public void onNext(Ack ack) {
        AgentTrace t = trace;
        if (t == null) {
            if (ended) {
                return; // refused: later messages of the refused stream are not read
            }
            try {
                t = traces.apply(ack.getTraceId());
            } catch (StatusRuntimeException refused) {
                ended = true;
                out.onError(refused);
                return;
            }
            trace = t;
            t.spool.commit(ack.getCommitted());
            long from = ack.getCommitted();
            AgentTrace started = t;
            // A stream cut under it ends the thread quietly (the collector resumes); anything else is logged.
            thread = Worker.start("the record stream of " + t.id, "vnettracer-agent-stream",
                    failure -> log.accept(failure.line()), self -> send(started, from));
            return;
        }
        t.spool.commit(ack.getCommitted());
    }

    private void send(AgentTrace t, long after) {
        long sent = after;
        try {
            while (!ended) {
                if (!out.isReady() || sent - t.spool.committed() >= WINDOW) {
                    t.spool.awaitChange(100);
                    continue;
                }
                SpooledBatch next = t.spool.after(sent);
                if (next == null) {
                    t.spool.awaitChange(100);
                    continue;
                }
                out.onNext(t.toProto(next));
                t.sent();
                sent = next.sequence();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the call was cancelled under us: the collector reconnects and resumes from its last commit
        } finally {
            if (t.spool.lastSequence() > t.spool.committed()) {
                log.accept("record stream of " + t.id + " closed with batches " + (t.spool.committed() + 1) + ".."
                        + t.spool.lastSequence() + " unacknowledged (" + t.spool.bytes() / 1024
                        + " KiB spooled); they are resent when a collector resumes");
            }
        }
    }

    private void wake() {
        AgentTrace t = trace;
        if (t != null) {
            t.spool.wakeUp();
        }
    }

    private void end() {
        ended = true;
        wake();
    }

    @Override
    public void onError(Throwable t) {
        end();
    }

    @Override
    public void onCompleted() {
        end();
        if (thread == null) {
            out.onCompleted();
        } else {
            try {
                thread.await(1000);
                out.onCompleted();
            } catch (InterruptedException | RuntimeException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
