package io.vnettracer.remote.agent;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.remote.proto.Ack;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ChangeReply;
import io.vnettracer.remote.proto.ChangeRequest;
import io.vnettracer.remote.proto.ClockReply;
import io.vnettracer.remote.proto.ClockRequest;
import io.vnettracer.remote.proto.HelloReply;
import io.vnettracer.remote.proto.HelloRequest;
import io.vnettracer.remote.proto.ProbeInfo;
import io.vnettracer.remote.proto.StartReply;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.proto.StopReply;
import io.vnettracer.remote.proto.StopRequest;
import io.vnettracer.remote.proto.WallOffset;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionException;
import io.vnettracer.session.TraceSession;
import io.vnettracer.sinks.WallClock;
import io.vnettracer.export.prometheus.ListenAddress;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * The agent's RPCs. One trace at a time: a second Start while one runs is refused; a Start after a
 * Stop replaces the finished trace (and forgets what of it was never acknowledged, counted in the log).
 * A trace belongs to the collector that started it ({@link CollectorIdentity}): another collector's
 * Records, Change and Stop are PERMISSION_DENIED, its Hello does not list the trace's probes, and
 * its Start cannot replace a trace whose batches are not all acknowledged.
 */
final class AgentService extends AgentGrpc.AgentImplBase {
    private final AgentConfig config;
    private final Consumer<String> log;
    private volatile AgentTrace trace;

    AgentService(AgentConfig config, Consumer<String> log) {
        this.config = config;
        this.log = log;
    }

    private long clock() {
        return System.nanoTime() + config.clockOffsetNanos();
    }

    /** This node's wall clock against {@link #clock()}: the test offset moves that clock, so it moves the offset back. */
    private WallOffset wall() {
        WallClock.Reading r = WallClock.read();
        return WallOffset.newBuilder().setRealtimeMinusClockNanos(r.realtimeMinusMonotonicNanos() - config.clockOffsetNanos())
                .setUncertaintyNanos(r.uncertaintyNanos()).build();
    }

    /**
     * Null if the caller owns {@code t}; otherwise the refusal to send, counted on the trace and
     * logged for the caller's first refused call on it (a collector retrying in a loop is one line).
     * Nothing of the request is logged.
     */
    private Status refusal(AgentTrace t, String call) {
        CollectorIdentity caller = CollectorIdentity.current();
        if (t.owner.equals(caller)) {
            return null;
        }
        if (t.refused(caller)) {
            log.accept("refused " + call + " of collector " + caller + " on trace " + t.id + ", which belongs to "
                    + t.owner + "; its further refusals on this trace are counted, not logged");
        }
        return Status.PERMISSION_DENIED.withDescription("trace '" + t.id + "' on node " + config.node()
                + " belongs to the collector that started it, " + t.owner + "; this collector is " + caller);
    }

    @Override
    public void hello(HelloRequest request, StreamObserver<HelloReply> reply) {
        AgentTrace t = trace;
        HelloReply.Builder b = HelloReply.newBuilder().setNode(config.node()).setClockNanos(clock()).setWall(wall());
        if (t != null) {
            boolean yours = t.owner.equals(CollectorIdentity.current());
            b.setTraceId(t.id).setTracing(t.tracing()).setHeldByCaller(yours).setHolder(t.owner.toString());
            if (yours) {
                b.addAllProbes(t.probes());
            }
        }
        reply.onNext(b.build());
        reply.onCompleted();
    }

    @Override
    public void readClock(ClockRequest request, StreamObserver<ClockReply> reply) {
        reply.onNext(ClockReply.newBuilder().setAgentNanos(clock()).build());
        reply.onCompleted();
    }

    @Override
    public synchronized void start(StartRequest request, StreamObserver<StartReply> reply) {
        AgentTrace current = trace;
        CollectorIdentity caller = CollectorIdentity.current();
        if (current != null && current.tracing()) {
            Status busy = refusal(current, "a Start") == null
                    ? Status.FAILED_PRECONDITION.withDescription("node " + config.node() + " is already tracing '"
                            + current.id + "'; stop it first")
                    : Status.PERMISSION_DENIED.withDescription("node " + config.node() + " is tracing '" + current.id
                            + "' for another collector, " + current.owner + "; only that collector can stop it");
            reply.onError(busy.asRuntimeException());
            return;
        }
        if (current != null && !current.owner.equals(caller) && current.spool.lastSequence() > current.spool.committed()) {
            refusal(current, "a Start replacing it");
            reply.onError(Status.PERMISSION_DENIED.withDescription("node " + config.node() + " holds batches "
                    + (current.spool.committed() + 1) + ".." + current.spool.lastSequence() + " of trace '" + current.id
                    + "' not yet acknowledged by its collector, " + current.owner
                    + "; that collector must collect them first (or restart the agent to discard them)").asRuntimeException());
            return;
        }
        if (request.getTraceId().isBlank()) {
            reply.onError(Status.INVALID_ARGUMENT.withDescription("a trace needs an id").asRuntimeException());
            return;
        }
        String source = request.getSource().isBlank() ? "script" : request.getSource();
        TracingScript script;
        try {
            script = ScriptCheck.check(request.getScript(), source);
        } catch (IllegalArgumentException e) {
            log.accept("refused the script of trace " + request.getTraceId() + ": " + e.getMessage());
            reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        if (current != null && current.spool.lastSequence() > current.spool.committed()) {
            log.accept("trace " + current.id + " replaced with batches " + (current.spool.committed() + 1) + ".."
                    + current.spool.lastSequence() + " never acknowledged");
        }
        Spool spool = new Spool(config.spoolBytes());
        RecordBatcher batcher = new RecordBatcher(spool, config.clockOffsetNanos());
        if (current != null) {
            current.closeMetrics(); // its port is the next trace's
        }
        LocalMetrics metrics = null;
        if (config.prometheus() != null) {
            try {
                metrics = LocalMetrics.serve(config.prometheus(), batcher);
            } catch (UncheckedIOException e) {
                log.accept("trace " + request.getTraceId() + " refused: " + e.getMessage());
                reply.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
                return;
            }
            for (int id = 0; id < script.probes().size(); id++) {
                metrics.probe(id, script.probes().get(id));
            }
        }
        AgentTrace next = new AgentTrace(request.getTraceId(), caller, spool, batcher, metrics);
        TraceSession session;
        try {
            session = TraceSession.start(script, FilterCompiler.PCAP, metrics == null ? batcher : metrics, config.session());
        } catch (SessionException e) {
            log.accept("trace " + request.getTraceId() + " failed to start: " + e.getMessage());
            next.closeMetrics();
            reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        next.started(session, script.probes());
        // A failed drain thread ends the trace as a stop would (the last batch says so to the collector);
        // on a thread of its own: closing the session waits for the drain thread, which reports here.
        session.reportFailuresTo(failure -> Thread.ofPlatform().name("vnettracer-agent-failed").start(() -> {
            log.accept("trace " + next.id + ": " + failure.line() + "; the trace was stopped");
            next.stop();
        }));
        trace = next;
        log.accept("tracing " + next.id + " for collector " + caller + ": " + script.probes().size() + " probes"
                + (metrics == null ? "" : "; metrics at http://" + metrics.sink().address() + "/metrics"));
        reply.onNext(StartReply.newBuilder().addAllProbes(next.probes()).build());
        reply.onCompleted();
    }

    @Override
    public synchronized void change(ChangeRequest request, StreamObserver<ChangeReply> reply) {
        AgentTrace t = trace;
        if (t == null || !t.tracing()) {
            reply.onError(Status.FAILED_PRECONDITION.withDescription("node " + config.node() + " is not tracing").asRuntimeException());
            return;
        }
        Status denied = refusal(t, "a Change");
        if (denied != null) {
            reply.onError(denied.asRuntimeException());
            return;
        }
        TraceSession session = t.session();
        try {
            ChangeReply.Builder out = ChangeReply.newBuilder();
            switch (request.getChangeCase()) {
                case ADD_PROBE -> {
                    TracingScript one = ScriptParser.parse(request.getAddProbe(), "added probe");
                    if (one.probes().size() != 1) {
                        throw new IllegalArgumentException("add one probe: 'probe NAME SPEC [CLAUSES]'");
                    }
                    ProbeDefinition def = one.probes().get(0);
                    ScriptCheck.checkFilters(one);
                    TraceSession.validate(one, FilterCompiler.PCAP);
                    ProbeInfo[] added = new ProbeInfo[1];
                    out.setMicros(session.addProbe(def, id -> added[0] = t.added(id, def)));
                    out.setAdded(added[0]);
                }
                case REMOVE_PROBE -> out.setMicros(session.removeProbe(request.getRemoveProbe()));
                case SET_FILTER -> out.setMicros(session.setFilter(request.getSetFilter().getProbe(),
                        request.getSetFilter().getExpression()));
                case SET_SAMPLE -> out.setMicros(session.setSample(request.getSetSample().getProbe(),
                        request.getSetSample().getEvery()));
                case CHANGE_NOT_SET -> throw new IllegalArgumentException("the change is empty");
            }
            reply.onNext(out.build());
            reply.onCompleted();
        } catch (IllegalArgumentException | SessionException e) {
            reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public synchronized void stop(StopRequest request, StreamObserver<StopReply> reply) {
        AgentTrace t = trace;
        if (t == null) {
            reply.onError(Status.FAILED_PRECONDITION.withDescription("node " + config.node() + " holds no trace").asRuntimeException());
            return;
        }
        Status denied = refusal(t, "a Stop");
        if (denied != null) {
            reply.onError(denied.asRuntimeException());
            return;
        }
        t.stop();
        long refused = t.refusedCalls();
        log.accept("stopped " + t.id + " after " + t.spool.lastSequence() + " batches"
                + (refused == 0 ? "" : "; refused " + refused + " calls of other collectors on it"));
        reply.onNext(StopReply.newBuilder().setLastSequence(t.spool.lastSequence()).build());
        reply.onCompleted();
    }

    @Override
    public StreamObserver<Ack> records(StreamObserver<Batch> reply) {
        return new RecordSender(reply, id -> {
            AgentTrace t = trace;
            if (t == null || !t.id.equals(id)) {
                throw Status.FAILED_PRECONDITION.withDescription("this agent holds no trace '" + id + "'; start one first")
                        .asRuntimeException();
            }
            Status denied = refusal(t, "a record stream");
            if (denied != null) {
                throw denied.asRuntimeException();
            }
            return t;
        }, log);
    }

    /** Detaches whatever runs (the agent is going away). */
    synchronized void shutdown() {
        AgentTrace t = trace;
        if (t != null) {
            t.stop();
            t.closeMetrics();
        }
    }

    /** Where the current trace's metrics are served, or null. */
    ListenAddress metricsAddress() {
        AgentTrace t = trace;
        return t == null ? null : t.metricsAddress();
    }

}
