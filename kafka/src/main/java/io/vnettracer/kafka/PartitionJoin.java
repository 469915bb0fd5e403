package io.vnettracer.kafka;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.Summary;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

/**
 * One partition's joiner, with its own watermark: a lagging partition's events are never late for
 * another's. Entries are copied into a scratch record whose probe id is rewritten to the
 * collector-wide id, then joined; nothing is allocated per entry.
 */
final class PartitionJoin {
    final int partition;
    private final CollectorCatalog catalog;
    private final JourneyJoiner joiner;
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
    private final EventView view = new EventView();
    private final Set<Integer> endedNodes = new HashSet<>();
    long batches;
    long entries;
    long unknownNodeEntries;
    long unknownProbeEntries;

    PartitionJoin(int partition, CollectorCatalog catalog, JoinerConfig config) {
        this.partition = partition;
        this.catalog = catalog;
        this.joiner = new JourneyJoiner(catalog.probes(), config);
    }

    /** Joins every entry of an events batch (already checked by {@link BatchFormat#check}). */
    void onEvents(MemorySegment batch) {
        batches++;
        int count = BatchFormat.count(batch);
        for (int i = 0; i < count; i++) {
            long offset = BatchFormat.entryOffset(i);
            int node = batch.get(BatchFormat.INT_LE, offset);
            MemorySegment.copy(batch, offset + 4, scratch, 0, EventLayout.SIZE);
            int probe = scratch.get(BatchFormat.INT_LE, EventLayout.PROBE_ID);
            int global = catalog.globalId(node, probe);
            entries++;
            if (global < 0) {
                if (catalog.knows(node)) unknownProbeEntries++;
                else unknownNodeEntries++;
                continue;
            }
            scratch.set(BatchFormat.INT_LE, EventLayout.PROBE_ID, global);
            joiner.onEvent(view.wrap(scratch, 0));
        }
    }

    /** Notes a node's end-of-trace marker; true once every node the catalog knows has ended here. */
    boolean onEnd(int nodeId) {
        endedNodes.add(nodeId);
        return endedNodes.containsAll(catalog.nodeIds());
    }

    /**
     * Finalizes every open journey and returns what this partition adds up to. The trace is taken to
     * end at this partition's newest event (no marker carries the nodes' end times yet): of the
     * journeys of the trace's last moments, a partition may call in flight one another would not.
     */
    PartialSummary finish() {
        joiner.flush();
        Summary s = joiner.summary(id -> 0);
        return new PartialSummary(s, joiner.figures());
    }
}
