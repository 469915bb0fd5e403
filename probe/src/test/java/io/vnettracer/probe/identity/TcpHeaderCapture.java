package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.TcxVerdict;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A tc program that copies the TCP header (options included) of each IPv4 segment to one port into
 * a ring of {@value #SLOTS} array slots, for a test to read what really crossed an interface.
 */
final class TcpHeaderCapture implements AutoCloseable {
    static final int SLOTS = 64;
    private static final int SLOT_SIZE = 64;

    final BpfMap count = BpfMap.create(MapSpec.array("vtag_tcp_n", 8, 1));
    final BpfMap headers = BpfMap.create(MapSpec.array("vtag_tcp_hdr", SLOT_SIZE, SLOTS));
    final Program program;

    TcpHeaderCapture(int port) {
        Assembler a = new Assembler();
        a.mov64(R6, R1)
                .ldx(4, R2, R6, SkBuffFields.DATA)
                .ldx(4, R3, R6, SkBuffFields.DATA_END)
                .mov64(R4, R2)
                .add64(R4, 14 + 20 + 20)
                .jgt(R4, R3, "out")
                .ldx(2, R5, R2, 12)
                .jne(R5, PacketHeaders.be16(0x0800), "out")
                .ldx(1, R5, R2, 14 + 9)
                .jne(R5, 6, "out")
                .ldx(1, R5, R2, 14)
                .and64(R5, 0x0F)
                .lsh64(R5, 2)
                .jlt(R5, 20, "out")
                .mov64(R8, R5)
                .add64(R8, 14)                                 // R8 = offset of the TCP header
                .add64(R2, R8)
                .mov64(R4, R2)
                .add64(R4, 20)
                .jgt(R4, R3, "out")
                .ldx(2, R5, R2, 2)
                .jne(R5, PacketHeaders.be16(port), "out")
                .ldx(1, R9, R2, 12)
                .and64(R9, 0xF0)
                .rsh64(R9, 2)                                  // R9 = TCP header length
                .jlt(R9, 20, "out")
                .st(4, R10, -4, 0)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, count.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .mov64(R7, 1)
                .atomicFetchAdd(8, R0, 0, R7)
                .and64(R7, SLOTS - 1)
                .stx(4, R10, -8, R7)
                .mov64(R2, R10)
                .add64(R2, -8)
                .ldMapFd(R1, headers.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .mov64(R1, R6)
                .mov64(R2, R8)
                .mov64(R3, R0)
                .mov64(R4, R9)
                .call(Helper.SKB_LOAD_BYTES)
                .label("out")
                .mov64(R0, TcxVerdict.NEXT)
                .exit();
        program = Program.load(ProgramSpec.of("vtag_tcp_cap", ProgramType.SCHED_CLS, a.assemble()));
    }

    /** The headers captured, oldest first (at most {@value #SLOTS}). */
    List<byte[]> captured() {
        long n = count.sumLong(0);
        List<byte[]> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(SLOT_SIZE);
            for (long i = Math.max(0, n - SLOTS); i < n; i++) {
                key.set(ValueLayout.JAVA_INT, 0, (int) (i % SLOTS));
                headers.lookup(key, value);
                out.add(value.toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out;
    }

    @Override
    public void close() {
        program.close();
        headers.close();
        count.close();
    }
}
