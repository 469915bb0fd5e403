package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.map.BpfMap;

/**
 * Emits the code that takes a UDP tag off at the tc ingress of a traced receiver, leaving the
 * packet byte for byte as it was before the writer tagged it: the IP length (and IPv4 checksum)
 * first, then the trailer is cut. Header first is the safe order: should the cut fail, the packet
 * still keeps a consistent header and the receiving kernel trims the bytes beyond the IP length.
 *
 * @param counters a {@link TagCounter#mapSpec per-CPU counter map}; failures count as
 *     {@link TagCounter#STRIP_FAILED}
 */
public record UdpTagStripper(BpfMap counters) {
    public UdpTagStripper {
        CounterIncrement.requireCounterMap(counters);
    }

    /**
     * Emits the read and removal. Afterwards {@code tagOut} holds the id the packet carried (0 if
     * none); the trailer is gone unless a helper refused, which is counted. Clobbers R0-R5 and the
     * scratch bytes; {@code ctx} and {@code tagOut} must be R6-R9. Packet pointers taken before
     * this code are invalid after it.
     */
    public void emit(Assembler a, Reg ctx, Reg tagOut, TagScratch s) {
        String p = "udp_tag_strip_" + a.position() + "_";
        UdpTagReader.emit(a, ctx, tagOut, s);
        a.jeq(tagOut, 0, p + "done");
        IpLengthEdit.emit(a, ctx, s, -TagTrailer.LENGTH, p + "failed");
        a.mov64(R1, ctx)
                .ldx(4, R2, R10, s.trailerOffset())
                .mov64(R3, 0)
                .call(Helper.SKB_CHANGE_TAIL)
                .jeq(R0, 0, p + "done")
                .label(p + "failed")
                .mov64(R1, TagCounter.STRIP_FAILED.ordinal());
        CounterIncrement.emit(a, counters, s);
        a.label(p + "done");
    }
}
