package io.vnettracer.remote.agent;

import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ProbeInfo;
import io.vnettracer.remote.proto.ProbeLoss;
import io.vnettracer.session.TraceSession;
import com.google.protobuf.ByteString;
import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.probe.program.ProbeMaps;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** One trace an agent holds: its session while it runs, and its spool until the collector has everything. */
final class AgentTrace {
    final String id;
    /** The collector that started the trace: the only one that may stream, acknowledge, change or stop it. */
    final CollectorIdentity owner;
    final Spool spool;
    final RecordBatcher batcher;
    private final List<ProbeInfo> probes = new ArrayList<>();
    private final LocalMetrics metrics;
    private final AtomicLong batchesSent = new AtomicLong();
    private final Map<CollectorIdentity, LongAdder> refused = new ConcurrentHashMap<>();
    private volatile TraceSession session;

    /** @param metrics the node's own join exposed to Prometheus, or null */
    AgentTrace(String id, CollectorIdentity owner, Spool spool, RecordBatcher batcher, LocalMetrics metrics) {
        this.id = id;
        this.owner = owner;
        this.spool = spool;
        this.batcher = batcher;
        this.metrics = metrics;
        if (metrics != null) {
            var sink = metrics.sink();
            sink.gauge("vnettracer_agent_batches_sent", "Record batches this agent sent to collectors (resent ones again)",
                    batchesSent::get);
            sink.gauge("vnettracer_agent_batches_unacknowledged", "Batches sealed but not yet durable at a collector",
                    () -> spool.lastSequence() - spool.committed());
            sink.gauge("vnettracer_agent_spool_bytes", "Bytes of record batches held until acknowledged", spool::bytes);
            sink.gauge("vnettracer_agent_spool_dropped_batches", "Batches the spool had no room for (dropped whole)",
                    spool::droppedBatches);
            sink.gauge("vnettracer_agent_spool_dropped_records", "Records in the batches the spool dropped", () -> {
                long sum = 0;
                for (int p = 0; p < ProbeMaps.MAX_PROBES; p++) {
                    sum += spool.dropped(p);
                }
                return sum;
            });
        }
    }

    /** The trace's session has started with {@code definitions} as probes 0..n-1 (already in the metrics' catalog). */
    void started(TraceSession session, List<ProbeDefinition> definitions) {
        this.session = session;
        if (metrics != null) {
            metrics.attach(session);
        }
        for (int i = 0; i < definitions.size(); i++) {
            info(i, definitions.get(i));
        }
    }

    /** A probe added live, before it attaches. */
    ProbeInfo added(int id, ProbeDefinition def) {
        if (metrics != null) {
            metrics.probe(id, def);
        }
        return info(id, def);
    }

    /** Counts a call of another collector refused on this trace; true for that collector's first (the one to log). */
    boolean refused(CollectorIdentity caller) {
        boolean[] first = {false};
        refused.computeIfAbsent(caller, c -> {
            first[0] = true;
            return new LongAdder();
        }).increment();
        return first[0];
    }

    /** Calls of other collectors refused on this trace. */
    long refusedCalls() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void sent() {
        batchesSent.incrementAndGet();
    }

    /** Where this trace's metrics are served, or null. */
    ListenAddress metricsAddress() {
        return metrics == null ? null : metrics.sink().address();
    }

    /** Stops serving the metrics (the trace is replaced, or the agent goes away). */
    void closeMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }

    private synchronized ProbeInfo info(int id, ProbeDefinition def) {
        ProbeInfo info = ProbeInfo.newBuilder().setId(id).setName(def.name()).setSpec(def.spec().text())
                .setDropProbe(def.spec() instanceof ProbeSpec.Drops).build();
        probes.add(info);
        return info;
    }

    synchronized List<ProbeInfo> probes() {
        return List.copyOf(probes);
    }

    TraceSession session() {
        return session;
    }

    boolean tracing() {
        return !stopped;
    }

    private volatile boolean stopped;

    /** Detaches everything, then seals the last batch with the final counters. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        session.close();
        batcher.finish();
        if (metrics != null) {
            metrics.finish();
        }
    }

    /** The batch as sent: records, and the counters as of now (cumulative). */
    Batch toProto(SpooledBatch b) {
        Batch.Builder out = Batch.newBuilder().setSequence(b.sequence()).setRecords(ByteString.copyFrom(b.records()))
                .setLast(b.last()).setUndecodable(session.undecodableEvents());
        int known = session.nextProbeId();
        for (int id = 0; id < known; id++) {
            long ring = session.lostEvents(id);
            long spooled = spool.dropped(id);
            if (ring != 0 || spooled != 0) {
                out.addLosses(ProbeLoss.newBuilder().setProbeId(id).setRingLost(ring).setSpoolDropped(spooled));
            }
        }
        return out.build();
    }
}
