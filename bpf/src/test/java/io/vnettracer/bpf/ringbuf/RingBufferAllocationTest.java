package io.vnettracer.bpf.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.testing.RingBufferPrograms;
import io.vnettracer.bpf.testing.Root;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Draining is the hot path: it must not allocate per record. */
class RingBufferAllocationTest {
    private static final int RECORDS = 500_000;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void drainingHalfAMillionRecordsAllocatesNextToNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (BpfMap ring = BpfMap.create(MapSpec.ringBuffer("alloc_ring", 1 << 24));
             BpfMap counters = BpfMap.create(MapSpec.array("alloc_cnt", 8, 2));
             Program writer = Program.load(ProgramSpec.of("alloc_writer", ProgramType.SCHED_CLS,
                     RingBufferPrograms.numberedRecords(ring, counters, RingBufferFlags.NO_WAKEUP)));
             RingBufferReader reader = new RingBufferReader(ring)) {
            long[] sum = {0};
            RecordHandler handler = (buffer, offset, length) -> sum[0] += buffer.get(JAVA_LONG_UNALIGNED, offset);
            writer.testRun(new byte[64], 1000);
            reader.drain(handler); // warm up: class loading, JIT
            writer.testRun(new byte[64], RECORDS);
            long before = threads.getCurrentThreadAllocatedBytes();
            int drained = reader.drain(handler);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(RECORDS, drained);
            assertTrue(allocated < 64 * 1024, "drain allocated " + allocated + " bytes for " + RECORDS + " records");
            assertTrue(sum[0] > 0);
        }
    }
}
