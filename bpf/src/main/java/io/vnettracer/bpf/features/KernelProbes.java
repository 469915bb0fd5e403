package io.vnettracer.bpf.features;

import static io.vnettracer.bpf.asm.Reg.R0;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.link.tc.TcDirection;
import io.vnettracer.bpf.link.tc.TcLegacyLink;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.LibC;

/**
 * The checks of what the running kernel accepts, each by doing the smallest real thing: loading a
 * two-instruction program of the kind, creating the map, attaching where it cannot disturb traffic
 * (the loopback device of a scratch namespace, or a tracepoint for an instant).
 */
final class KernelProbes {
    /** A tracepoint every kernel with networking has. */
    private static final String PROBE_TRACEPOINT = "netif_receive_skb";
    /** A kernel function to try fentry on. */
    private static final String PROBE_FUNCTION = "consume_skb";

    private KernelProbes() {}

    static Feature ringBuffer() {
        int size = (int) LibC.pageSize();
        return yesOrNo(Features.RING_BUFFER, () -> {
            try (BpfMap ring = BpfMap.create(MapSpec.ringBuffer("probe_ring", size))) {
                return "BPF_MAP_TYPE_RINGBUF created";
            }
        }, "needs Linux 5.8");
    }

    static Feature tcx() {
        return yesOrNo(Features.TCX, () -> ScratchNamespace.run(() -> {
            try (Program p = load("probe_tcx", ProgramType.SCHED_CLS, null, 0);
                 Link ingress = Link.tcx(p, 1, TcxDirection.INGRESS)) {
                return "attached to loopback of a scratch namespace";
            }
        }), "needs Linux 6.6; the legacy tc path is used instead");
    }

    static Feature legacyTc() {
        return yesOrNo(Features.LEGACY_TC, () -> ScratchNamespace.run(() -> {
            try (Program p = load("probe_cls", ProgramType.SCHED_CLS, null, 0);
                 TcLegacyLink filter = TcLegacyLink.attach(p, "lo", TcDirection.INGRESS, "feature-probe")) {
                return "clsact + cls_bpf filter attached to loopback of a scratch namespace";
            }
        }), "");
    }

    static Feature tpBtf() {
        return yesOrNo(Features.TP_BTF, () -> {
            int id = Btf.kernel().tracepoint(PROBE_TRACEPOINT).attachId();
            try (Program p = load("probe_tp_btf", ProgramType.TRACING, AttachType.TRACE_RAW_TP, id)) {
                return "loaded for " + PROBE_TRACEPOINT;
            }
        }, "needs BTF and Linux 5.5");
    }

    static Feature rawTracepoint() {
        return yesOrNo(Features.RAW_TP, () -> {
            try (Program p = load("probe_raw_tp", ProgramType.RAW_TRACEPOINT, null, 0);
                 Link l = Link.rawTracepoint(p, PROBE_TRACEPOINT)) {
                return "attached to " + PROBE_TRACEPOINT;
            }
        }, "needs Linux 4.17");
    }

    static Feature fentry() {
        return yesOrNo(Features.FENTRY, () -> {
            int id = Btf.kernel().funcId(PROBE_FUNCTION);
            try (Program p = load("probe_fentry", ProgramType.TRACING, AttachType.TRACE_FENTRY, id)) {
                return "loaded for " + PROBE_FUNCTION;
            }
        }, "tp_btf and raw tracepoints are used instead");
    }

    static Feature loads(String name, ProgramType type, AttachType attachType) {
        return yesOrNo(name, () -> {
            try (Program p = load("probe_" + type.name().toLowerCase(java.util.Locale.ROOT), type, attachType, 0)) {
                return type.kernelName() + " loaded";
            }
        }, "");
    }

    private static Program load(String name, ProgramType type, AttachType attachType, int btfId) {
        int ret = type == ProgramType.SCHED_CLS ? -1 : (type == ProgramType.XDP ? 2 : (type == ProgramType.CGROUP_SKB || type == ProgramType.SOCK_OPS ? 1 : 0));
        Instructions insns = new Assembler().mov64(R0, ret).exit().assemble();
        return Program.load(new ProgramSpec(name, type, insns, "GPL", attachType, btfId));
    }

    private interface Check {
        String run() throws Exception;
    }

    private static Feature yesOrNo(String name, Check check, String otherwise) {
        try {
            return Feature.yes(name, check.run());
        } catch (BpfException e) {
            String why = e.command() + " " + e.errnoName();
            if (e.errno() == io.vnettracer.bpf.sys.Errno.EPERM && LibC.geteuid() != 0) {
                why += " (not root)";
            }
            return Feature.no(name, why + (otherwise.isEmpty() ? "" : "; " + otherwise));
        } catch (Exception e) {
            return Feature.no(name, e.getMessage() + (otherwise.isEmpty() ? "" : "; " + otherwise));
        }
    }
}
