package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R2;
import static io.vnettracer.bpf.asm.Reg.R3;
import static io.vnettracer.bpf.asm.Reg.R7;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.map.ProgramArray;
import io.vnettracer.bpf.prog.TcxVerdict;

/**
 * Where a device probe runs on its hook: slot {@code slot} of the hook's program array, which the
 * hook's dispatcher ({@link HookDispatcher}) enters at its first filled slot. A tail call never
 * returns, so each program ends by handing the packet on to the next filled slot after its own: a
 * loop of tail-call attempts on each later slot, in slot order; an attempt on an empty slot fails
 * and the loop goes on. Past the last slot the program returns TCX_NEXT (TC_ACT_UNSPEC on the
 * legacy tc hook): the packet goes on, its verdict untouched.
 *
 * <p>The slot is a register the loop counts, never a constant, and the loop's last attempt is on
 * slot {@code slots} (out of range, fails at the bounds check): so the verifier never sees one
 * constant slot at the call and the JIT emits an indirect tail call. With a constant slot it would
 * emit a direct jump that the kernel re-patches in every calling program's code on each update of
 * the slot (text poking, with IPIs to every CPU): 1.5-6 ms per update on the project's machine,
 * with tails to 80 ms, where an indirect slot's update takes 10-20 us (docs/BPF.md).
 *
 * <p>Every slot is tried at most once per packet along the whole chain, so a hook's chain makes at
 * most {@code slots} tail calls, under the kernel's limit of {@value ProgramArray#MAX_TAIL_CALLS}.
 *
 * @param programArrayFd the hook's program array
 * @param slot this program's slot; -1 for the dispatcher, which starts at slot 0
 * @param slots the array's size
 */
public record HookChain(int programArrayFd, int slot, int slots) {
    private static final String HAND_ON = "hand_on";

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
     * {@code ctx} holds the program's context (a callee-saved register other than R7, which counts).
     */
    public void emitHandOn(Assembler a, Reg ctx) {
        if (ctx == R7) {
            throw new IllegalArgumentException("R7 counts the slots; keep the context elsewhere");
        }
        a.mov64(R7, slot + 1)
                .label(HAND_ON)
                .mov64(R1, ctx)
                .ldMapFd(R2, programArrayFd)
                .mov64(R3, R7)
                .call(Helper.TAIL_CALL)
                .add64(R7, 1)
                .jle(R7, slots, HAND_ON)
                .mov64(R0, TcxVerdict.NEXT)
                .exit();
    }
}
