package io.vnettracer.bpf.map;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.vnettracer.bpf.prog.Program;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A BPF_MAP_TYPE_PROG_ARRAY: slots of programs that a program reaches with bpf_tail_call. Setting a
 * slot swaps its program in atomically (a program running through the old one finishes with it);
 * clearing it makes a tail call to the slot fail, and the caller goes on after the call.
 *
 * <p>The kernel binds the array to the first program that uses it or is put in it: every other one
 * must have the same type, the same expected attach type and be JIT-compiled alike, or setting its
 * slot fails with EINVAL. A chain of tail calls stops after 33 (MAX_TAIL_CALL_CNT).
 */
public final class ProgramArray implements AutoCloseable {
    /** Tail calls one packet may make, from include/linux/bpf.h (MAX_TAIL_CALL_CNT). */
    public static final int MAX_TAIL_CALLS = 33;

    private final BpfMap map;

    private ProgramArray(BpfMap map) {
        this.map = map;
    }

    public static ProgramArray create(String name, int slots) {
        return new ProgramArray(BpfMap.create(MapSpec.programArray(name, slots)));
    }

    /** Puts {@code program} in {@code slot}, replacing what was there. */
    public void set(int slot, Program program) {
        checkSlot(slot);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(JAVA_INT);
            MemorySegment v = arena.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, slot);
            v.set(JAVA_INT, 0, program.fd().get());
            map.update(k, v, BpfMap.BPF_ANY);
        }
    }

    /** Empties {@code slot}; false if it was empty. */
    public boolean clear(int slot) {
        checkSlot(slot);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, slot);
            return map.delete(k);
        }
    }

    /** The id of the program in {@code slot} (as bpftool shows it), or 0 if the slot is empty. */
    public int programId(int slot) {
        checkSlot(slot);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(JAVA_INT);
            MemorySegment v = arena.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, slot);
            return map.lookup(k, v) ? v.get(JAVA_INT, 0) : 0;
        }
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= slots()) {
            throw new IllegalArgumentException("slot " + slot + " of program array '" + map.name() + "' (slots 0.."
                    + (slots() - 1) + ")");
        }
    }

    public int slots() {
        return map.spec().maxEntries();
    }

    public BpfMap map() {
        return map;
    }

    @Override
    public void close() {
        map.close();
    }

    @Override
    public String toString() {
        return "program array '" + map.name() + "' (" + slots() + " slots)";
    }
}
