package io.vnettracer.bpf.link.tc;

import static io.vnettracer.bpf.asm.Reg.R0;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;

/**
 * A child process for {@link TcLegacyLinkTest}: attaches a filter in a namespace, prints its name
 * and waits to be killed, so the filter outlives it.
 */
public final class StaleFilterOwner {
    private StaleFilterOwner() {}

    /** Arguments: namespace, interface, probe name. */
    public static void main(String[] args) throws Exception {
        Program prog = Program.load(ProgramSpec.of("stale", ProgramType.SCHED_CLS,
                new Assembler().mov64(R0, PktCls.TC_ACT_UNSPEC).exit().assemble()));
        try (NetNamespace ns = NetNamespace.named(args[0])) {
            TcLegacyLink link = ns.run(() -> TcLegacyLink.attach(prog, args[1], TcDirection.INGRESS, args[2]));
            System.out.println("attached " + link.filterName());
            System.out.flush();
        }
        Thread.sleep(120_000);
    }
}
