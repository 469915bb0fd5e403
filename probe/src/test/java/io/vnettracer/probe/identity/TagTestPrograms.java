package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramLoadException;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.TcxVerdict;
import java.util.function.Consumer;

/** Whole tc programs around the tag generators: ctx in R6, tag in R7, scratch at the frame's top. */
final class TagTestPrograms {
    static final TagScratch SCRATCH = new TagScratch(-TagScratch.SIZE);

    private TagTestPrograms() {}

    /** A program that runs {@code body} and returns the tag (for BPF_PROG_TEST_RUN). */
    static Program returningTag(String name, Consumer<Assembler> body) {
        Assembler a = new Assembler().mov64(R6, R1);
        body.accept(a);
        return load(name, a.mov64(R0, R7).exit());
    }

    /**
     * A program to attach: runs {@code body}, then records each nonzero tag as a key of
     * {@code seen} (a hash of u32 to u64 count) and lets the packet go on.
     */
    static Program recordingTags(String name, BpfMap seen, Consumer<Assembler> body) {
        Assembler a = new Assembler().mov64(R6, R1);
        body.accept(a);
        countTagInR7(a, seen);
        return load(name, a.label("out").mov64(R0, TcxVerdict.NEXT).exit());
    }

    /** seen[R7] += 1 (inserting 1 the first time), unless R7 is 0; jumps to "out" when done. */
    static void countTagInR7(Assembler a, BpfMap seen) {
        a.jeq(R7, 0, "out")
                .stx(4, R10, -32, R7)
                .mov64(R2, R10)
                .add64(R2, -32)
                .ldMapFd(R1, seen.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "first")
                .mov64(R1, 1)
                .atomicAdd(8, R0, 0, R1)
                .ja("out")
                .label("first")
                .st(8, R10, -40, 1)
                .mov64(R3, R10)
                .add64(R3, -40)
                .mov64(R2, R10)
                .add64(R2, -32)
                .ldMapFd(R1, seen.fd().get())
                .mov64(R4, 0)
                .call(Helper.MAP_UPDATE_ELEM)
                .ja("out");
    }

    private static Program load(String name, Assembler a) {
        try {
            return Program.load(ProgramSpec.of(name, ProgramType.SCHED_CLS, a.assemble()));
        } catch (ProgramLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
