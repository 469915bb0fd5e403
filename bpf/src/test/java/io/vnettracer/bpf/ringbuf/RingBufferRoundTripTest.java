package io.vnettracer.bpf.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.testing.RingBufferPrograms;
import io.vnettracer.bpf.testing.Root;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records written by a real program (run in the kernel by BPF_PROG_TEST_RUN) while a consumer thread
 * drains them: every record must arrive once, in order, with nothing lost and nothing corrupt.
 */
class RingBufferRoundTripTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void aMillionRecordsArriveExactlyOnceAndInOrder() throws Exception {
        roundTrip(1_000_000, 1 << 25, RingBufferFlags.NO_WAKEUP);
    }

    @Test
    void aSmallRingUnderPressureLosesOnlyWhatItCounts() throws Exception {
        // 4096 records of room for 200k records: the producer outruns the consumer at times. Every
        // record is then either received, in order, or counted as lost by the program itself.
        int runs = 200_000;
        Result r = run(runs, 1 << 17, RingBufferFlags.ADAPTIVE);
        assertEquals(runs, r.received + r.lost, "received + lost = produced");
        assertEquals(0, r.outOfOrder);
    }

    private static void roundTrip(int runs, int ringBytes, long flags) throws Exception {
        Result r = run(runs, ringBytes, flags);
        assertEquals(0, r.lost, "the program found the ring full");
        assertEquals(runs, r.received);
        assertEquals(0, r.outOfOrder, "records out of order or duplicated");
        assertEquals(0, r.corrupt);
        assertEquals(0, r.discarded);
    }

    private record Result(long received, long lost, long outOfOrder, long corrupt, long discarded) {}

    private static Result run(int runs, int ringBytes, long flags) throws Exception {
        try (BpfMap ring = BpfMap.create(MapSpec.ringBuffer("rt_ring", ringBytes));
             BpfMap counters = BpfMap.create(MapSpec.array("rt_counters", 8, 2));
             Program prog = Program.load(ProgramSpec.of("rt_writer", ProgramType.SCHED_CLS,
                     RingBufferPrograms.numberedRecords(ring, counters, flags)));
             RingBufferReader reader = new RingBufferReader(ring)) {
            long[] expectedNext = {0};
            long[] outOfOrder = {0};
            long[] lastTime = {0};
            RecordHandler check = (buffer, offset, length) -> {
                long seq = buffer.get(JAVA_LONG_UNALIGNED, offset);
                long time = buffer.get(JAVA_LONG_UNALIGNED, offset + 8);
                if (length != RingBufferPrograms.RECORD_SIZE || seq < expectedNext[0] || time < lastTime[0]) {
                    outOfOrder[0]++;
                }
                expectedNext[0] = seq + 1;
                lastTime[0] = time;
            };
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                try {
                    prog.testRun(new byte[64], runs);
                } finally {
                    producing.set(false);
                }
            });
            producer.start();
            while (producing.get()) {
                reader.poll(5, check);
            }
            producer.join();
            reader.drain(check);
            long lost = counters.sumLong(RingBufferPrograms.LOST);
            assertEquals(runs, counters.sumLong(RingBufferPrograms.SEQUENCE), "the program ran once per repeat");
            assertTrue(reader.pending() == 0, "ring drained");
            return new Result(reader.consumed(), lost, outOfOrder[0], reader.corrupt(), reader.discarded());
        }
    }
}
