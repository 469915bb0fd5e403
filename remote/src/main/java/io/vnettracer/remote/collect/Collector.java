package io.vnettracer.remote.collect;

import io.vnettracer.journey.clock.ClockOffset;
import io.grpc.ChannelCredentials;
import io.grpc.StatusRuntimeException;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.WallClock;
import io.vnettracer.journey.clock.ClockAlignment;
import io.vnettracer.journey.clock.CrossingDelays;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.remote.proto.ChangeReply;
import io.vnettracer.remote.proto.ChangeRequest;
import io.vnettracer.remote.proto.HelloReply;
import io.vnettracer.remote.proto.ProbeInfo;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.session.ProbeStatus;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.proto.StopRequest;
import io.vnettracer.remote.proto.WallOffset;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One trace over many agents. {@link #start} splits the script, connects to every agent (mutual
 * TLS), starts each one's part (or, with a state directory of a trace the agents still hold,
 * resumes it), measures their clocks and opens their record streams; {@link #finish} stops the
 * agents, waits until every last batch is durable, and joins the logs into one summary.
 */
public final class Collector implements AutoCloseable {
    /** How long {@link #finish} waits for an agent's last batch. */
    private static final long FINISH_MILLIS = 60_000;

    public record Agent(String node, String address) {}

    /**
     * @param dropReasonNames the kernel's drop reason names by code (null: numbers)
     */
    public record Options(List<Agent> agents, TlsFiles tls, CollectorState state, IntFunction<String> dropReasonNames) {}

    /** What one node contributed. {@code spoolDropped}: records its spool could not keep; {@code ringLost}: lost in its ring buffer. */
    public record NodeReport(String node, String address, ClockOffset clock, long batches, long records,
                             long spoolDropped, long ringLost, long meanAckNanos, long maxAckNanos) {}

    public record Result(Summary summary, List<NodeReport> nodes, long undecodable, boolean resumed) {}

    private final NodeScripts scripts;
    private final Options options;
    private final Map<String, AgentLink> links = new LinkedHashMap<>();
    private final RoundTripClocks clocks = new RoundTripClocks();
    /** Each node's wall clock as its Hello reported it when this collector connected (none: an older agent). */
    private final Map<String, WallOffset> walls = new LinkedHashMap<>();
    private final Consumer<String> messages;
    private final Map<String, String> filters = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> samples = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> removed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private String traceId;
    private boolean resumed;

    private Collector(NodeScripts scripts, Options options, Consumer<String> messages) {
        this.scripts = scripts;
        this.options = options;
        this.messages = messages;
    }

    /**
     * Starts (or resumes) the trace. Throws IllegalArgumentException for a script the agents refuse
     * (nothing is left running) and IllegalStateException for agents that cannot be reached or hold
     * another trace.
     */
    public static Collector start(TracingScript script, Options options, Consumer<String> messages) {
        List<String> nodes = options.agents().stream().map(Agent::node).toList();
        NodeScripts scripts = NodeScripts.split(script, nodes);
        Collector c = new Collector(scripts, options, messages);
        try {
            c.connect();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void connect() {
        ChannelCredentials credentials = MutualTls.client(options.tls());
        CollectorState state = options.state();
        String stored = state.traceId();
        Map<String, HelloReply> hellos = new LinkedHashMap<>();
        for (Agent a : options.agents()) {
            AgentLink link = new AgentLink(a.node(), a.address(), credentials, DurableLog.open(state.log(a.node())), messages);
            links.put(a.node(), link);
            HelloReply hello;
            try {
                hello = link.hello();
            } catch (StatusRuntimeException e) {
                throw new IllegalStateException("agent " + a.node() + " at " + a.address() + ": " + AgentLink.describe(e), e);
            }
            if (!hello.getNode().equals(a.node())) {
                throw new IllegalStateException("agent at " + a.address() + " is node '" + hello.getNode() + "', not '" + a.node() + "'");
            }
            hellos.put(a.node(), hello);
            if (hello.hasWall()) {
                walls.put(a.node(), hello.getWall());
            }
        }
        if (stored != null) {
            for (var e : hellos.entrySet()) {
                if (!e.getValue().getTraceId().equals(stored)) {
                    throw new IllegalStateException("agent " + e.getKey() + " does not hold trace " + stored + " of "
                            + state.dir() + (e.getValue().getTraceId().isEmpty() ? "" : " (it holds " + e.getValue().getTraceId() + ")")
                            + "; give a new --state directory to start a new trace");
                }
                if (!e.getValue().getHeldByCaller() && !e.getValue().getHolder().isEmpty()) {
                    throw new IllegalStateException("agent " + e.getKey() + " holds trace " + stored + " for the collector "
                            + "that started it, " + e.getValue().getHolder() + ", not for this collector's certificate "
                            + options.tls().certificate() + "; resume with that collector's certificate");
                }
            }
            traceId = stored;
            resumed = true;
            hellos.forEach((node, hello) -> adoptLiveProbes(node, hello.getProbesList()));
            messages.accept("resuming trace " + traceId + " from " + state.dir());
        } else {
            traceId = state.newTraceId();
            startAgents();
        }
        for (AgentLink link : links.values()) {
            ClockOffset clock = clocks.measure(link.node, link::readClock);
            messages.accept(link.node + ": clock offset " + clock.offsetNanos() + " ns ± " + clock.uncertaintyNanos() + " ns");
        }
        for (AgentLink link : links.values()) {
            link.stream(traceId);
        }
    }

    private void startAgents() {
        List<AgentLink> started = new ArrayList<>();
        for (AgentLink link : links.values()) {
            try {
                link.rpc().start(StartRequest.newBuilder().setTraceId(traceId).setScript(scripts.scriptOf(link.node))
                        .setSource(link.node + " part of the script").build());
                started.add(link);
            } catch (StatusRuntimeException e) {
                for (AgentLink s : started) {
                    try {
                        s.rpc().stop(StopRequest.getDefaultInstance());
                    } catch (StatusRuntimeException ignored) {
                        // the first failure is the one to report
                    }
                }
                options.state().forget();
                String why = "node " + link.node + ": " + AgentLink.describe(e);
                if (e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT) {
                    throw new IllegalArgumentException("node " + link.node + ": " + e.getStatus().getDescription(), e);
                }
                throw new IllegalStateException(why, e);
            }
        }
    }

    public String traceId() {
        return traceId;
    }

    /**
     * A live change on one node (its probe names without the node prefix). A probe added is
     * registered under {@code NODE/NAME} with the id the agent gave it, so its records join under
     * that name. The agent numbers it when it attaches, so it can only be registered once the reply
     * says its id; nothing is lost by that: records are joined from the durable logs at
     * {@link #finish}, and the agents' own probe lists are read again there (and on resume), which
     * also covers a collector that died between the agent's reply and the registration. Throws
     * IllegalArgumentException with the agent's reason for a change it refuses.
     */
    public ChangeReply change(String node, ChangeRequest change) {
        AgentLink link = links.get(node);
        if (link == null) {
            throw new IllegalArgumentException("no agent named '" + node + "'; agents are " + links.keySet());
        }
        ChangeReply reply;
        try {
            reply = link.rpc().change(change);
        } catch (StatusRuntimeException e) {
            io.grpc.Status.Code code = e.getStatus().getCode();
            if (code == io.grpc.Status.Code.INVALID_ARGUMENT || code == io.grpc.Status.Code.FAILED_PRECONDITION) {
                throw new IllegalArgumentException("node " + node + ": " + e.getStatus().getDescription(), e);
            }
            throw new IllegalStateException("node " + node + ": " + AgentLink.describe(e), e);
        }
        switch (change.getChangeCase()) {
            case ADD_PROBE -> {
                if (reply.hasAdded()) {
                    ProbeInfo a = reply.getAdded();
                    scripts.addLive(node, a.getId(), a.getName(), a.getSpec(), a.getDropProbe());
                    removed.remove(node + "/" + a.getName());
                }
            }
            case REMOVE_PROBE -> removed.add(node + "/" + change.getRemoveProbe());
            case SET_FILTER -> filters.put(node + "/" + change.getSetFilter().getProbe(), change.getSetFilter().getExpression());
            case SET_SAMPLE -> samples.put(node + "/" + change.getSetSample().getProbe(), change.getSetSample().getEvery());
            default -> { }
        }
        return reply;
    }

    /**
     * Every probe of the trace as the collector knows it: {@code NODE/NAME}, the joiner's id, filter
     * and sampling as set (by the script or through {@link #change}), removed ones disabled; events
     * are the records made durable since this collector connected and lost the ring-buffer losses
     * plus spool drops the agent last reported. Kernel packet and byte counters are not streamed: 0.
     */
    public List<ProbeStatus> status() {
        List<ProbeStatus> out = new ArrayList<>();
        Map<String, Integer> localIds = new LinkedHashMap<>();
        List<ProbeDefinition> all = scripts.whole().probes();
        for (int id = 0; id < all.size(); id++) {
            ProbeDefinition p = all.get(id);
            String node = p.name().substring(0, p.name().indexOf('/'));
            int local = localIds.merge(node, 1, Integer::sum) - 1;
            out.add(status(id, node, local, p.name(), p.spec().text(), p.filter(), p.sampleEvery()));
        }
        for (NodeScripts.LiveProbe l : scripts.live()) {
            out.add(status(l.globalId(), l.node(), l.localId(), l.name(), l.spec(), null, 1));
        }
        return out;
    }

    private ProbeStatus status(int id, String node, int local, String name, String spec, String filter, int sample) {
        AgentLink link = links.get(node);
        return new ProbeStatus(id, name, spec, filters.getOrDefault(name, filter == null ? "" : filter),
                samples.getOrDefault(name, sample), !removed.contains(name),
                link == null ? 0 : link.events(local), link == null ? 0 : link.lost(local), 0, 0, 0);
    }

    /** Registers the probes an agent holds beyond its part of the script (added live, perhaps by an earlier collector). */
    private void adoptLiveProbes(String node, List<ProbeInfo> probes) {
        for (ProbeInfo p : probes) {
            if (!scripts.knows(node, p.getId())) {
                scripts.addLive(node, p.getId(), p.getName(), p.getSpec(), p.getDropProbe());
            }
        }
    }

    /** Stops every agent, waits for its records, and joins them with the round-trip clock offsets. */
    public Result finish() throws InterruptedException {
        return finish(clocks);
    }

    /** As {@link #finish()}, with the clock offsets of {@code offsets}. */
    public Result finish(ClockOffsets offsets) throws InterruptedException {
        return finish(offsets, (catalog, wallOffset) -> List.of());
    }

    /**
     * As {@link #finish()}; the final pass also hands every event, journey and the summary to the
     * sinks {@code sinks} opens for the collector's catalog (a store, a pcapng file), then closes them.
     */
    public Result finish(ReplaySinks sinks) throws InterruptedException {
        return finish(clocks, sinks);
    }

    private Result finish(ClockOffsets offsets, ReplaySinks sinkFactory) throws InterruptedException {
        for (AgentLink link : links.values()) {
            try {
                clocks.measure(link.node, link::readClock);
            } catch (StatusRuntimeException e) {
                messages.accept(link.node + ": measuring its clock again failed: " + AgentLink.describe(e));
            }
        }
        for (AgentLink link : links.values()) {
            try {
                adoptLiveProbes(link.node, link.hello().getProbesList());
            } catch (StatusRuntimeException e) {
                messages.accept(link.node + ": reading its probes failed (probes added live but not through this"
                        + " collector count as unknown): " + AgentLink.describe(e));
            }
        }
        for (AgentLink link : links.values()) {
            try {
                link.rpc().stop(StopRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                messages.accept(link.node + ": stopping failed: " + AgentLink.describe(e));
            }
        }
        for (AgentLink link : links.values()) {
            if (!link.awaitComplete(FINISH_MILLIS)) {
                messages.accept(link.node + ": the last batch did not arrive within " + FINISH_MILLIS / 1000
                        + " s; its missing records are not in the summary");
            }
        }
        Map<String, java.nio.file.Path> logs = new LinkedHashMap<>();
        for (AgentLink link : links.values()) {
            link.close();
            logs.put(link.node, options.state().log(link.node));
        }
        JoinerConfig config = options.dropReasonNames() == null
                ? JoinerConfig.defaults() : JoinerConfig.defaults().withDropReasonNames(options.dropReasonNames());
        // First pass on the round-trip offsets: measures how packets crossed between nodes.
        JourneyJoiner rough = new JourneyJoiner(scripts.catalog(), config);
        CrossingDelays crossings = new CrossingDelays(scripts.catalog());
        rough.setListener(crossings);
        Replay.replay(scripts, logs, offsets, rough);
        ClockAlignment alignment = TrafficClocks.refine(scripts.nodes(), offsets, crossings.snapshot());
        alignment.conflicts().forEach(c -> messages.accept("clocks: " + c));
        ClockOffsets refined = TrafficClocks.asOffsets(alignment, offsets);
        // Second pass on the refined offsets: the summary.
        ProbeCatalog catalog = scripts.catalog();
        JourneyJoiner joiner = new JourneyJoiner(catalog, config);
        joiner.setNodeClocks(alignment.summaryNodes());
        List<TraceSink> sinks = sinkFactory.open(catalog, referenceWallOffset(alignment.reference(), offsets));
        if (!sinks.isEmpty()) {
            joiner.setListener(journey -> sinks.forEach(s -> s.onJourney(journey)));
        }
        Replay.Totals totals = Replay.replay(scripts, logs, refined, joiner,
                sinks.isEmpty() ? null : event -> sinks.forEach(s -> s.onEvent(event)));
        List<NodeReport> reports = new ArrayList<>();
        for (Replay.NodeTotals n : totals.nodes()) {
            AgentLink link = links.get(n.node());
            reports.add(new NodeReport(n.node(), link.address, refined.of(n.node()), n.batches(), n.records(),
                    n.spoolDropped(), n.ringLost(), link.meanAckNanos(), link.maxAckNanos()));
        }
        Summary summary = Replay.summary(joiner, totals);
        for (TraceSink sink : sinks) {
            try {
                sink.finish(summary);
            } catch (RuntimeException e) {
                messages.accept(sink.describe() + ": " + e.getMessage());
            } finally {
                sink.close();
            }
        }
        return new Result(summary, reports, totals.undecodable(), resumed);
    }

    /**
     * CLOCK_REALTIME − the reference node's clock, which the replay's timestamps are on (its offset is
     * 0): the reference's own reading, since nodes' boot times differ and the collector's clock is not
     * in the replay at all. Without one (an older agent) the collector's wall clock stands in, restated
     * on the reference's clock by the round-trip offset: right as far as the two wall clocks agree.
     */
    private long referenceWallOffset(String reference, ClockOffsets roundTrip) {
        WallOffset wall = walls.get(reference);
        if (wall != null) {
            return wall.getRealtimeMinusClockNanos();
        }
        messages.accept(reference + " did not report its wall clock; wall times (store, pcapng) are the collector's");
        return WallClock.realtimeMinusMonotonicNanos() - roundTrip.of(reference).offsetNanos();
    }

    /** Closes the connections; the agents go on tracing (a collector started with the same state resumes). */
    @Override
    public void close() {
        for (AgentLink link : links.values()) {
            try {
                link.close();
            } catch (RuntimeException ignored) {
                // closing what is left; the caller's error is the one to report
            }
        }
    }
}
