package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.map.BpfMap;

/** Emits counters[R1] += 1 on a per-CPU array of u64; clobbers R0-R5. */
final class CounterIncrement {
    private CounterIncrement() {}

    static void emit(Assembler a, BpfMap counters, TagScratch s) {
        String done = "count_done_" + a.position();
        // Per-CPU slots need no atomic add: tc programs do not nest on one CPU.
        a.stx(4, R10, s.counterKey(), R1)
                .mov64(R2, R10)
                .add64(R2, s.counterKey())
                .ldMapFd(R1, counters.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, done)
                .ldx(8, R1, R0, 0)
                .add64(R1, 1)
                .stx(8, R0, 0, R1)
                .label(done);
    }

    static void requireCounterMap(BpfMap counters) {
        if (!counters.spec().type().isPerCpu() || counters.spec().valueSize() != 8
                || counters.spec().maxEntries() < TagCounter.values().length) {
            throw new IllegalArgumentException("map '" + counters.name() + "' cannot hold the tag counters: make it with "
                    + "TagCounter.mapSpec(name) (a per-CPU array of " + TagCounter.values().length + " u64)");
        }
    }
}
