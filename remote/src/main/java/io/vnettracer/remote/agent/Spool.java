package io.vnettracer.remote.agent;

import io.vnettracer.probe.program.ProbeMaps;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batches not yet acknowledged, in sequence order, bounded in bytes. A batch that does not fit is
 * dropped whole and its records are counted against the probes that wrote them; it gets no
 * sequence number, so the collector sees no gap, only the counts. The last batch of a trace is
 * always kept: it carries the final counters.
 */
final class Spool {
    private final long capacityBytes;
    private final TreeMap<Long, SpooledBatch> pending = new TreeMap<>();
    private final long[] droppedByProbe = new long[ProbeMaps.MAX_PROBES];
    private long bytes;
    private long nextSequence = 1;
    private long committed;
    private long droppedBatches;

    Spool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Seals a batch into the spool; returns its sequence, or 0 when it was dropped. */
    synchronized long append(byte[] records, int[] byProbe, boolean last) {
        SpooledBatch batch = new SpooledBatch(nextSequence, records, byProbe, last);
        if (!last && bytes + batch.bytes() > capacityBytes) {
            droppedBatches++;
            for (int id = 0; id < byProbe.length; id++) {
                droppedByProbe[id] += byProbe[id];
            }
            return 0;
        }
        nextSequence++;
        pending.put(batch.sequence(), batch);
        bytes += batch.bytes();
        notifyAll();
        return batch.sequence();
    }

    /** Every batch up to {@code sequence} is durable at the collector: forget them. */
    synchronized void commit(long sequence) {
        while (!pending.isEmpty() && pending.firstKey() <= sequence) {
            bytes -= pending.pollFirstEntry().getValue().bytes();
        }
        committed = Math.max(committed, sequence);
        notifyAll();
    }

    /** The first batch after {@code sequence}, or null. */
    synchronized SpooledBatch after(long sequence) {
        Map.Entry<Long, SpooledBatch> e = pending.higherEntry(sequence);
        return e == null ? null : e.getValue();
    }

    /** Waits (at most {@code millis}) for a change: a new batch or an acknowledgement. */
    synchronized void awaitChange(long millis) throws InterruptedException {
        wait(millis);
    }

    synchronized void wakeUp() {
        notifyAll();
    }

    synchronized long committed() {
        return committed;
    }

    synchronized long lastSequence() {
        return nextSequence - 1;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long droppedBatches() {
        return droppedBatches;
    }

    /** Records dropped so far, written by probe {@code id}. */
    synchronized long dropped(int id) {
        return droppedByProbe[id];
    }
}
