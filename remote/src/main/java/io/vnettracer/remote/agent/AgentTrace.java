package io.vnettracer.remote.agent;

import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ProbeInfo;
import io.vnettracer.remote.proto.ProbeLoss;
import io.vnettracer.session.TraceSession;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/** One trace an agent holds: its session while it runs, and its spool until the collector has everything. */
final class AgentTrace {
    final String id;
    final Spool spool;
    final RecordBatcher batcher;
    private final List<ProbeInfo> probes = new ArrayList<>();
    private volatile TraceSession session;

    AgentTrace(String id, Spool spool, RecordBatcher batcher) {
        this.id = id;
        this.spool = spool;
        this.batcher = batcher;
    }

    void started(TraceSession session, List<ProbeDefinition> definitions) {
        this.session = session;
        for (int i = 0; i < definitions.size(); i++) {
            added(i, definitions.get(i));
        }
    }

    synchronized ProbeInfo added(int id, ProbeDefinition def) {
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
