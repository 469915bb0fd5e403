package io.vnettracer.bpf.link;

import static io.vnettracer.bpf.asm.Reg.R0;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.TcxVerdict;

/** A child process for {@link TcxSigkillTest}: attaches to an interface, says so, and waits to be killed. */
public final class TcxHolder {
    private TcxHolder() {}

    public static void main(String[] args) throws Exception {
        Program prog = Program.load(ProgramSpec.of("holder", ProgramType.SCHED_CLS,
                new Assembler().mov64(R0, TcxVerdict.NEXT).exit().assemble()));
        Link ingress = Link.tcx(prog, args[0], TcxDirection.INGRESS);
        Link egress = Link.tcx(prog, args[0], TcxDirection.EGRESS);
        System.out.println("attached " + ingress.id() + " " + egress.id());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
