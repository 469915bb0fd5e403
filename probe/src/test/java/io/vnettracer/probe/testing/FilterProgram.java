package io.vnettracer.probe.testing;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R6;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.probe.filter.Filter;
import io.vnettracer.probe.filter.FilterCompiler;
import io.vnettracer.probe.packet.KeyExtractor;
import io.vnettracer.probe.packet.PacketContext;

/**
 * Extractor + filter: a program that returns 1 when the packet matches the filter and 0 when not.
 * The filter reads the packet ({@link #load}), or only the key the extractor wrote ({@link #loadKeyOnly}).
 */
public final class FilterProgram {
    public static final int KEY_OFFSET = -64;

    private FilterProgram() {}

    public static Instructions instructions(PacketContext context, Filter filter) {
        return instructions(context, filter, new FilterCompiler(context, "filter"));
    }

    private static Instructions instructions(PacketContext context, Filter filter, FilterCompiler compiler) {
        Assembler a = new Assembler();
        a.mov64(R6, R1);
        new KeyExtractor(context, KEY_OFFSET, "key").emit(a);
        filter.emit(a, compiler, "match", "nomatch");
        return a.label("match").mov64(R0, 1).exit()
                .label("nomatch").mov64(R0, 0).exit()
                .assemble();
    }

    public static Program load(PacketContext context, Filter filter) {
        return Program.load(ProgramSpec.of("vflt_filter", context.programType(), instructions(context, filter)));
    }

    /** The filter as a probe that passes no context compiles it: reading only the key (see FilterCompiler). */
    public static Program loadKeyOnly(PacketContext context, Filter filter) {
        FilterCompiler keyOnly = new FilterCompiler(KEY_OFFSET, 0, "filter");
        return Program.load(ProgramSpec.of("vflt_filter", context.programType(), instructions(context, filter, keyOnly)));
    }
}
