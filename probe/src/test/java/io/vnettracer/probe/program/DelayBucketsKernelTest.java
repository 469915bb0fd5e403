package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.DelayBuckets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernel computes a delay's bucket ({@link JourneyAggregation#bucketIndex}) exactly as user
 * space reads buckets back ({@link DelayBuckets}): a program that takes a u64 from its packet and
 * returns its bucket, run with BPF_PROG_TEST_RUN over every power-of-two edge and random values.
 */
class DelayBucketsKernelTest {
    @Test
    void kernelAndUserSpaceBucketsAgree() {
        Root.assume();
        Assembler a = new Assembler();
        a.mov64(R2, 0).stx(8, R10, -8, R2)
                .mov64(R2, 0)
                .mov64(R3, R10).add64(R3, -8)
                .mov64(R4, 8)
                .call(Helper.SKB_LOAD_BYTES)
                .ldx(8, R1, R10, -8);
        JourneyAggregation.bucketIndex(a, "t_");
        a.mov64(R0, R2).exit();
        List<Long> values = new ArrayList<>();
        for (long v = 0; v < 64; v++) values.add(v);
        for (int bit = 4; bit < 63; bit++) {
            long p = 1L << bit;
            values.add(p - 1);
            values.add(p);
            values.add(p + 1);
            values.add(p + (p >> 1));
        }
        values.add(Long.MAX_VALUE);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) values.add(random.nextLong(1, 1L << random.nextInt(1, 45)));
        try (Program p = Program.load(ProgramSpec.of("vnt_buckets", ProgramType.SCHED_CLS, a.assemble()))) {
            for (long v : values) {
                byte[] packet = new byte[64];
                ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                int kernel = p.testRun(packet, 1).returnValue();
                assertEquals(DelayBuckets.index(v), kernel, "bucket of " + v);
                long low = DelayBuckets.lowerBound(kernel);
                long mid = DelayBuckets.midpoint(kernel);
                if (v < (1L << DelayBuckets.MAX_POWER + 1)) {
                    // Within the bucket, and the midpoint within the stated resolution of every value in it.
                    assertEquals(true, low <= v, v + " >= lower bound " + low);
                    assertEquals(true, Math.abs(mid - v) <= Math.max(1, v * DelayBuckets.RESOLUTION_PERCENT / 100),
                            "midpoint " + mid + " of " + v);
                }
            }
        }
    }
}
