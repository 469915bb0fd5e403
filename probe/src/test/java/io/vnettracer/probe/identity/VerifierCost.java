package io.vnettracer.probe.identity;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.btf.BtfKind;
import io.vnettracer.bpf.btf.BtfMember;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.sys.Bpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * How many instructions the verifier processed to accept a program: struct bpf_prog_info's
 * verified_insns (Linux 5.16+), at the offset the kernel's BTF gives.
 */
final class VerifierCost {
    private VerifierCost() {}

    /** The count, or empty on a kernel whose bpf_prog_info has no such field. */
    static OptionalInt of(Program program) {
        Btf btf = Btf.kernel();
        BtfMember member;
        try {
            member = btf.member("bpf_prog_info", "verified_insns");
        } catch (RuntimeException absent) {
            return OptionalInt.empty();
        }
        long size = btf.sizeOf(btf.typeId("bpf_prog_info", BtfKind.STRUCT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(size, 8);
            Bpf.objectInfo(program.fd().get(), info, "reading info of program '" + program.name() + "'");
            return OptionalInt.of(info.get(JAVA_INT, member.byteOffset()));
        }
    }
}
