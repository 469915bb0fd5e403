package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R6;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.probe.spec.ProbeSpec;

/**
 * The one program a session attaches to a device hook (an interface's tc ingress or egress): it
 * hands each packet to the device probes in the hook's program array (see {@link HookChain}), so a
 * probe is added or removed as one map update instead of an attach, which waits for an RCU grace
 * period in the kernel. With no probe in the array it returns TCX_NEXT.
 */
public final class HookDispatcher {
    /**
     * Probes one hook runs. Each packet tries every slot once along the chain, an empty one for
     * ≈ 0.6 ns (an indirect tail call that finds nothing), so fewer slots cost less per packet:
     * with 8, the dispatcher alone adds ≈ 5 ns to a packet, with 16 ≈ 10 ns (docs/BENCHMARKS.md).
     */
    public static final int SLOTS = 8;

    private HookDispatcher() {}

    /**
     * The dispatcher of a hook in {@code direction}, tail-calling through the array in {@code chain}.
     * It carries the same type and expected attach type as the device probes it calls, as the kernel
     * requires of programs sharing a program array.
     */
    public static ProbeProgram build(ProbeSpec.Direction direction, HookChain chain) {
        if (chain.slot() != -1) {
            throw new IllegalArgumentException("a dispatcher starts its chain at slot 0, not after slot " + chain.slot());
        }
        Assembler a = new Assembler();
        a.mov64(R6, R1);
        chain.emitHandOn(a, R6);
        boolean ingress = direction == ProbeSpec.Direction.INGRESS;
        ProgramSpec spec = ProgramSpec.of(ingress ? "vnt_dispatch_in" : "vnt_dispatch_eg", ProgramType.SCHED_CLS, a.assemble())
                .withAttach(ingress ? AttachType.TCX_INGRESS : AttachType.TCX_EGRESS);
        return new ProbeProgram(spec, ingress ? ProbeProgram.Hook.TCX_INGRESS : ProbeProgram.Hook.TCX_EGRESS, null);
    }
}
