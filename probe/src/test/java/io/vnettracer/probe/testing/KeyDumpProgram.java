package io.vnettracer.probe.testing;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.TcxVerdict;
import io.vnettracer.bpf.prog.XdpMdFields;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.packet.KeyExtractor;
import io.vnettracer.probe.packet.PacketContext;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A program that extracts the key of the packet it runs on and stores it in element 0 of an
 * array map, so a test can read back exactly what the extractor wrote.
 */
public final class KeyDumpProgram implements AutoCloseable {
    public static final int KEY_OFFSET = -64;
    private static final int MAP_KEY_OFFSET = -68;

    private final BpfMap keys;
    private final Program program;

    public KeyDumpProgram(PacketContext context) {
        keys = BpfMap.create(MapSpec.array("vflt_keys", PacketKeyLayout.SIZE, 1));
        try {
            program = Program.load(ProgramSpec.of("vflt_keydump", context.programType(), instructions(context, keys)));
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
    }

    static Instructions instructions(PacketContext context, BpfMap keys) {
        Assembler a = new Assembler();
        a.mov64(R6, R1);
        new KeyExtractor(context, KEY_OFFSET, "key").emit(a);
        a.st(4, R10, MAP_KEY_OFFSET, 0)
                .mov64(R2, R10).add64(R2, MAP_KEY_OFFSET)
                .ldMapFd(R1, keys.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out");
        for (int i = 0; i < PacketKeyLayout.SIZE; i += 8) {
            a.ldx(8, R1, R10, KEY_OFFSET + i).stx(8, R0, i, R1);
        }
        return a.label("out")
                .mov64(R0, verdict(context))
                .exit()
                .assemble();
    }

    private static int verdict(PacketContext context) {
        return switch (context) {
            case TC -> TcxVerdict.NEXT;
            case XDP -> XdpMdFields.XDP_PASS;
            case CGROUP_SKB -> 1;
        };
    }

    public Program program() {
        return program;
    }

    /** Runs the program on {@code packet} and returns the key it stored. */
    public byte[] keyOf(byte[] packet) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment index = arena.allocate(4);
            MemorySegment value = arena.allocate(PacketKeyLayout.SIZE);
            // A sentinel, so a key the program never stored cannot pass for an all-zero key.
            value.fill((byte) 0x5A);
            keys.update(index, value, BpfMap.BPF_ANY);
            program.testRun(packet, 1);
            keys.lookup(index, value);
            return value.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void close() {
        program.close();
        keys.close();
    }
}
