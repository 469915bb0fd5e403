package io.vnettracer.kafka;

import io.vnettracer.event.EventView;
import io.vnettracer.worker.SpscQueue;
import java.lang.foreign.MemorySegment;

/**
 * The drain thread's side of the producer: one open batch per partition, taken from a fixed pool of
 * buffers and handed, once full or old, to the sending thread through a lock-free queue. Nothing is
 * allocated per event and nothing blocks: when the pool is empty (the broker is slower than the
 * probes) the event is dropped and counted in {@link #overflowRecords()}.
 *
 * <p>{@link #append} and {@link #sealAll} are called by one thread at a time (the drain thread
 * while live, the main thread after it has stopped).
 */
final class PartitionBatches {
    /** One reusable batch buffer. */
    static final class Batch {
        final byte[] bytes;
        final MemorySegment segment;
        int partition;
        int count;

        Batch(int capacityRecords) {
            bytes = new byte[BatchFormat.HEADER + capacityRecords * BatchFormat.ENTRY];
            segment = MemorySegment.ofArray(bytes);
        }

        int length() {
            return BatchFormat.HEADER + count * BatchFormat.ENTRY;
        }
    }

    private final int nodeId;
    private final int partitions;
    private final int recordsPerBatch;
    private final long maxAgeNanos;
    private final Batch[] open;
    private final long[] openedAt;
    private final SpscQueue<Batch> free;
    private final SpscQueue<Batch> full;
    private volatile long overflowRecords;
    private long appended;
    private int sinceClockCheck;
    private long nextAgeCheck;

    PartitionBatches(int nodeId, int partitions, int recordsPerBatch, int poolSize, long maxAgeNanos) {
        if (poolSize < partitions) {
            throw new IllegalArgumentException("a pool of " + poolSize + " batches cannot keep one open for each of " + partitions + " partitions");
        }
        this.nodeId = nodeId;
        this.partitions = partitions;
        this.recordsPerBatch = recordsPerBatch;
        this.maxAgeNanos = maxAgeNanos;
        this.open = new Batch[partitions];
        this.openedAt = new long[partitions];
        this.free = new SpscQueue<>(poolSize);
        this.full = new SpscQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            free.offer(new Batch(recordsPerBatch));
        }
        this.nextAgeCheck = System.nanoTime() + maxAgeNanos;
    }

    /** Adds the event to its partition's batch. Allocation-free; never blocks. */
    void append(EventView event) {
        int p = IdentityPartitioner.partitionOf(event, partitions);
        Batch b = open[p];
        if (b == null) {
            b = free.poll();
            if (b == null) {
                overflowRecords++; // single writer
                return;
            }
            b.partition = p;
            b.count = 0;
            open[p] = b;
            openedAt[p] = System.nanoTime();
        }
        long offset = BatchFormat.entryOffset(b.count);
        b.segment.set(BatchFormat.INT_LE, offset, nodeId);
        event.copyTo(b.segment, offset + 4);
        b.count++;
        appended++;
        if (b.count == recordsPerBatch) {
            seal(p);
        }
        if (++sinceClockCheck == 64) {
            sinceClockCheck = 0;
            sealOld(System.nanoTime());
        }
    }

    /** Seals every batch open longer than the maximum age (called with the time now). */
    void sealOld(long now) {
        if (now < nextAgeCheck) return;
        nextAgeCheck = now + maxAgeNanos / 2;
        for (int p = 0; p < partitions; p++) {
            if (open[p] != null && now - openedAt[p] >= maxAgeNanos) seal(p);
        }
    }

    /** Seals every open batch: the end of the trace. */
    void sealAll() {
        for (int p = 0; p < partitions; p++) {
            if (open[p] != null) seal(p);
        }
    }

    private void seal(int p) {
        Batch b = open[p];
        open[p] = null;
        BatchFormat.writeHeader(b.segment, BatchFormat.KIND_EVENTS, nodeId, b.count);
        full.offer(b); // the pool's size bounds both queues: this cannot fail
    }

    /** The next sealed batch for the sender, or null. */
    Batch takeFull() {
        return full.poll();
    }

    /** The sender gives a batch back once its bytes are copied into a Kafka record. */
    void release(Batch b) {
        free.offer(b);
    }

    /** Whether a sealed batch waits; the sender's side. */
    boolean hasFull() {
        return !full.isEmpty();
    }

    long overflowRecords() {
        return overflowRecords;
    }

    /** Events appended to batches (read on the appending thread or after it stopped). */
    long appended() {
        return appended;
    }
}
