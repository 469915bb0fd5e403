package io.vnettracer.bpf.testing;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.map.BpfMap;

/** Programs that write numbered records into a ring buffer, for round-trip tests and benchmarks. */
public final class RingBufferPrograms {
    /** Bytes of each record: u64 sequence number, u64 ktime. */
    public static final int RECORD_SIZE = 16;
    /** Element of the counter map that numbers records. */
    public static final int SEQUENCE = 0;
    /** Element of the counter map that counts reservations the ring refused (full). */
    public static final int LOST = 1;

    private RingBufferPrograms() {}

    /**
     * Each run takes the next sequence number from counters[SEQUENCE], reserves a record, writes the
     * number and the time, and submits it with {@code submitFlags}; a refused reservation adds one
     * to counters[LOST], so no record disappears uncounted.
     */
    public static Instructions numberedRecords(BpfMap ring, BpfMap counters, long submitFlags) {
        Assembler a = new Assembler();
        a.st(4, R10, -4, SEQUENCE)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, counters.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .mov64(R7, 1)
                .atomicFetchAdd(8, R0, 0, R7)
                .ldMapFd(R1, ring.fd().get())
                .mov64(R2, RECORD_SIZE)
                .mov64(R3, 0)
                .call(Helper.RINGBUF_RESERVE)
                .jeq(R0, 0, "lost")
                .stx(8, R0, 0, R7)
                .mov64(R8, R0)
                .call(Helper.KTIME_GET_NS)
                .stx(8, R8, 8, R0)
                .mov64(R1, R8)
                .mov64(R2, (int) submitFlags)
                .call(Helper.RINGBUF_SUBMIT)
                .ja("out")
                .label("lost");
        TestPrograms.incrementCounter(a, counters, LOST);
        return a.label("out")
                .mov64(R0, 0)
                .exit()
                .assemble();
    }
}
