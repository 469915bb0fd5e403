package io.vnettracer.bpf.asm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An assembled program: its slots in kernel order, and the labels that named positions in it
 * (kept so the disassembler can print them).
 */
public final class Instructions {
    private final Instruction[] slots;
    private final Map<Integer, String> labels;

    Instructions(Instruction[] slots, Map<Integer, String> labels) {
        this.slots = slots;
        this.labels = Map.copyOf(labels);
    }

    /** Wraps slots that came from elsewhere (a file, another tool); they are printed without labels. */
    public static Instructions of(List<Instruction> slots) {
        return new Instructions(slots.toArray(new Instruction[0]), Map.of());
    }

    /** Decodes the raw little-endian bytes of a program. */
    public static Instructions decode(byte[] bytes) {
        if (bytes.length % Instruction.SIZE != 0) {
            throw new IllegalArgumentException("program length " + bytes.length + " is not a multiple of 8");
        }
        Instruction[] out = new Instruction[bytes.length / Instruction.SIZE];
        MemorySegment s = MemorySegment.ofArray(bytes);
        for (int i = 0; i < out.length; i++) {
            long slot = s.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED
                    .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), (long) i * Instruction.SIZE);
            out[i] = Instruction.decode(slot);
        }
        return new Instructions(out, Map.of());
    }

    public int size() {
        return slots.length;
    }

    public Instruction get(int index) {
        return slots[index];
    }

    public List<Instruction> asList() {
        return List.of(slots);
    }

    /** Label at a slot index, or null. */
    public String labelAt(int index) {
        return labels.get(index);
    }

    public Map<Integer, String> labels() {
        return labels;
    }

    /** The program as the kernel reads it, in memory owned by {@code arena}. */
    public MemorySegment toSegment(Arena arena) {
        MemorySegment seg = arena.allocate((long) slots.length * Instruction.SIZE, 8);
        for (int i = 0; i < slots.length; i++) {
            slots[i].writeTo(seg, (long) i * Instruction.SIZE);
        }
        return seg;
    }

    public byte[] toBytes() {
        byte[] out = new byte[slots.length * Instruction.SIZE];
        MemorySegment seg = MemorySegment.ofArray(out);
        for (int i = 0; i < slots.length; i++) {
            slots[i].writeTo(seg, (long) i * Instruction.SIZE);
        }
        return out;
    }

    /** Readable assembly, one instruction a line with its slot index. */
    @Override
    public String toString() {
        return Disassembler.print(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instructions other && Arrays.equals(slots, other.slots);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(slots);
    }
}
