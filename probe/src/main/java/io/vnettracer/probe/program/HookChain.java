package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R2;
import static io.vnettracer.bpf.asm.Reg.R3;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.map.ProgramArray;
import io.vnettracer.bpf.prog.TcxVerdict;

/**
 * Where a device probe runs on its hook: slot {@code slot} of the hook's program array, which the
 * hook's dispatcher ({@link HookDispatcher}) enters at its first filled slot. A tail call never
 * returns, so each program ends by handing the packet on to the next filled slot after its own:
 * one tail-call attempt per later slot, in slot order. An attempt on an empty slot fails and falls
 * through to the next; the constant slot numbers let the JIT make each attempt a patched direct jump
 * (an empty slot costs a skipped jump). Past the last slot the program returns TCX_NEXT
 * (TC_ACT_UNSPEC on the legacy tc hook): the packet goes on unchanged in its verdict.
 *
 * <p>Every slot is tried at most once per packet along the whole chain, so a hook's chain makes at
 * most {@code slots} tail calls, under the kernel's limit of {@value ProgramArray#MAX_TAIL_CALLS}.
 *
 * @param programArrayFd the hook's program array
 * @param slot this program's slot; -1 for the dispatcher, which starts at slot 0
 * @param slots the array's size
 */
public record HookChain(int programArrayFd, int slot, int slots) {
    public HookChain {
        if (slots < 1 || slots >= ProgramArray.MAX_TAIL_CALLS) {
            throw new IllegalArgumentException("a hook chains 1.." + (ProgramArray.MAX_TAIL_CALLS - 1) + " slots, not " + slots);
        }
        if (slot < -1 || slot >= slots) {
            throw new IllegalArgumentException("slot " + slot + " of a hook with " + slots + " slots");
        }
    }

    /** The dispatcher's place: before slot 0. */
    public static HookChain dispatcher(int programArrayFd, int slots) {
        return new HookChain(programArrayFd, -1, slots);
    }

    /**
     * Emits the end of the program: tail calls to each slot after this one, then return TCX_NEXT.
     * {@code ctx} holds the program's context (a callee-saved register: R6..R9).
     */
    public void emitHandOn(Assembler a, Reg ctx) {
        for (int next = slot + 1; next < slots; next++) {
            a.mov64(R1, ctx)
                    .ldMapFd(R2, programArrayFd)
                    .mov64(R3, next)
                    .call(Helper.TAIL_CALL);
        }
        a.mov64(R0, TcxVerdict.NEXT).exit();
    }
}
