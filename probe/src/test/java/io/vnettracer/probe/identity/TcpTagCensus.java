package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.TagTestPrograms.SCRATCH;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramLoadException;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.TcxVerdict;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A tc program built around {@link TcpTagReader} that takes a census of the IPv4 TCP segments to
 * one port: how many skbs carry a tag or none, with payload or without, how many wire segments
 * the tagged and untagged data skbs stand for (gso_segs, at least 1), and each distinct tag seen.
 */
final class TcpTagCensus implements AutoCloseable {
    static final int UNTAGGED_CONTROL = 0;
    static final int TAGGED_CONTROL = 1;
    static final int UNTAGGED_DATA = 2;
    static final int TAGGED_DATA = 3;
    static final int UNTAGGED_DATA_WIRE_SEGMENTS = 4;
    static final int TAGGED_DATA_WIRE_SEGMENTS = 5;
    private static final int SLOTS = 6;
    private static final int MAX_TAGS = 65536;

    final BpfMap counts = BpfMap.create(MapSpec.array("vtct_census", 8, SLOTS));
    final BpfMap tags = BpfMap.create(MapSpec.hash("vtct_tags", 4, 8, MAX_TAGS));
    final Program program;

    TcpTagCensus(int port) {
        Assembler a = new Assembler().mov64(R6, R1);
        TcpTagReader.emit(a, R6, R7, SCRATCH);
        // R8 = payload length: tot_len - IP header - TCP header.
        a.ldx(4, R2, R6, SkBuffFields.DATA)
                .ldx(4, R3, R6, SkBuffFields.DATA_END)
                .mov64(R4, R2)
                .add64(R4, 14 + 20)
                .jgt(R4, R3, "out")
                .ldx(2, R5, R2, 12)
                .jne(R5, PacketHeaders.be16(0x0800), "out")
                .ldx(1, R5, R2, 14 + 9)
                .jne(R5, 6, "out")
                .ldx(2, R8, R2, 14 + 2)
                .toBigEndian(R8, 16)
                .ldx(1, R5, R2, 14)
                .and64(R5, 0x0F)
                .lsh64(R5, 2)
                .jlt(R5, 20, "out")
                .sub64(R8, R5)
                .add64(R2, R5)
                .add64(R2, 14)
                .mov64(R4, R2)
                .add64(R4, 20)
                .jgt(R4, R3, "out")
                .ldx(2, R5, R2, 2)
                .jne(R5, PacketHeaders.be16(port), "out")
                .ldx(1, R5, R2, 12)
                .and64(R5, 0xF0)
                .rsh64(R5, 2)
                .sub64(R8, R5)
                // R9 = the slot: tagged or not, data or not.
                .mov64(R9, UNTAGGED_CONTROL)
                .jsle(R8, 0, "control")
                .mov64(R9, UNTAGGED_DATA)
                .label("control")
                .jeq(R7, 0, "untagged")
                .add64(R9, 1)
                .label("untagged");
        addToSlot(a, R9, 1);
        a.jsle(R8, 0, "segments_done")
                .ldx(4, R8, R6, SkBuffFields.GSO_SEGS)
                .jne(R8, 0, "gso")
                .mov64(R8, 1)
                .label("gso")
                .add64(R9, UNTAGGED_DATA_WIRE_SEGMENTS - UNTAGGED_DATA);
        addToSlot(a, R9, 0);
        a.label("segments_done");
        TagTestPrograms.countTagInR7(a, tags);
        a.label("out")
                .mov64(R0, TcxVerdict.NEXT)
                .exit();
        try {
            program = Program.load(ProgramSpec.of("vtct_census", ProgramType.SCHED_CLS, a.assemble()));
        } catch (ProgramLoadException e) {
            close();
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** counts[slot] += (amount == 0 ? R8 : amount); keeps R6-R9. */
    private void addToSlot(Assembler a, Reg slot, int amount) {
        String done = "add_done_" + a.position();
        a.stx(4, R10, -48, slot)
                .mov64(R2, R10)
                .add64(R2, -48)
                .ldMapFd(R1, counts.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, done);
        if (amount == 0) {
            a.mov64(R1, R8);
        } else {
            a.mov64(R1, amount);
        }
        a.atomicAdd(8, R0, 0, R1).label(done);
    }

    long count(int slot) {
        return counts.sumLong(slot);
    }

    /** Distinct tags seen, and how many skbs carried them in all. */
    long[] distinctTagsAndTheirSkbs() {
        long distinct = 0;
        long skbs = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(8);
            for (byte[] k : tags.keys()) {
                key.copyFrom(MemorySegment.ofArray(k));
                if (tags.lookup(key, value)) {
                    distinct++;
                    skbs += value.get(ValueLayout.JAVA_LONG, 0);
                }
            }
        }
        return new long[] {distinct, skbs};
    }

    String summary() {
        return "untagged control " + count(UNTAGGED_CONTROL) + ", tagged control " + count(TAGGED_CONTROL)
                + ", untagged data " + count(UNTAGGED_DATA) + " (" + count(UNTAGGED_DATA_WIRE_SEGMENTS) + " wire segments)"
                + ", tagged data " + count(TAGGED_DATA) + " (" + count(TAGGED_DATA_WIRE_SEGMENTS) + " wire segments)"
                + ", distinct tags " + distinctTagsAndTheirSkbs()[0];
    }

    @Override
    public void close() {
        if (program != null) {
            program.close();
        }
        tags.close();
        counts.close();
    }
}
