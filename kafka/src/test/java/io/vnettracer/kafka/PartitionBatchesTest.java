package io.vnettracer.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.ThreadMXBean;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drain thread's side of the producer: records land whole in their partition's batch, nothing allocated, overflow counted. */
class PartitionBatchesTest {
    private static final int NODE = NodeCatalog.nodeId("vtkf-node");

    @Test
    void everyRecordLandsInItsFingerprintPartitionByteForByte() {
        GeneratedPath path = new GeneratedPath(2000, 3);
        PartitionBatches batches = new PartitionBatches(NODE, 6, 100, 64, Long.MAX_VALUE / 4);
        EventView view = new EventView();
        List<PartitionBatches.Batch> sealed = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int k = 0; k < path.count; k++) {
            batches.append(view.wrap(path.events, path.offset(k)));
            drain(batches, values, sealed);
        }
        batches.sealAll();
        drain(batches, values, sealed);
        assertEquals(0, batches.overflowRecords());

        int seen = 0;
        EventView decoded = new EventView();
        for (int v = 0; v < values.size(); v++) {
            MemorySegment batch = MemorySegment.ofArray(values.get(v));
            assertEquals(BatchFormat.KIND_EVENTS, BatchFormat.check(batch));
            assertEquals(NODE, BatchFormat.nodeId(batch));
            for (int i = 0; i < BatchFormat.count(batch); i++) {
                long off = BatchFormat.entryOffset(i);
                assertEquals(NODE, batch.get(BatchFormat.INT_LE, off));
                decoded.wrap(batch, off + 4);
                assertEquals(sealed.get(v).partition, IdentityPartitioner.partitionOf(decoded, 6));
                seen++;
            }
        }
        assertEquals(path.count, seen, "every record in exactly one batch");
        // Batches of one partition keep the records in the order they were appended.
        assertEquals(path.count, batches.appended());
    }

    private static void drain(PartitionBatches batches, List<byte[]> values, List<PartitionBatches.Batch> sealed) {
        for (PartitionBatches.Batch b; (b = batches.takeFull()) != null; ) {
            values.add(java.util.Arrays.copyOf(b.bytes, b.length()));
            PartitionBatches.Batch copy = new PartitionBatches.Batch(1);
            copy.partition = b.partition;
            sealed.add(copy);
            batches.release(b);
        }
    }

    @Test
    void appendingAllocatesNothing() {
        GeneratedPath path = new GeneratedPath(4000, 5);
        PartitionBatches batches = new PartitionBatches(NODE, 6, 64, 32, 1_000_000L);
        EventView view = new EventView();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Warm-up rounds until the JIT has compiled the path (a busy machine delays it), then the
        // least any of the last rounds allocated: steady state allocates nothing.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < path.count; k++) {
                batches.append(view.wrap(path.events, path.offset(k)));
                for (PartitionBatches.Batch b; (b = batches.takeFull()) != null; ) batches.release(b);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round >= 5) least = Math.min(least, allocated);
        }
        assertEquals(0, least, "bytes allocated over " + path.count + " appends");
    }

    @Test
    void aFullPoolDropsAndCountsInsteadOfBlocking() {
        GeneratedPath path = new GeneratedPath(500, 9);
        PartitionBatches batches = new PartitionBatches(NODE, 6, 10, 6, Long.MAX_VALUE / 4);
        EventView view = new EventView();
        for (int k = 0; k < path.count; k++) batches.append(view.wrap(path.events, path.offset(k)));
        // Nobody sends: six batches of ten fill, everything after waits for a buffer and is dropped.
        long kept = 0;
        for (PartitionBatches.Batch b; (b = batches.takeFull()) != null; ) kept += b.count;
        batches.sealAll();
        assertEquals(path.count, batches.appended() + batches.overflowRecords());
        assertEquals(60, kept);
        assertEquals(EventLayout.SIZE + 4, BatchFormat.ENTRY);
    }
}
