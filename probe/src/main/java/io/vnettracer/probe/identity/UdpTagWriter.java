package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.PacketHeaders.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.prog.SkBuffFields;
import java.util.Locale;

/**
 * Emits the code that tags a UDP packet at tc egress: a nonzero random id goes into an 8-byte
 * trailer (id, ~id) after the UDP datagram, the IP length grows by 8 (IPv4: the header checksum is
 * fixed; IPv6 has none) and the UDP header is left alone.
 *
 * <p>Packets that must not be tagged are left unchanged and counted by {@link TagCounter} reason:
 * GSO skbs, fragments, IPv4/IPv6 packets that are not UDP, packets that already carry bytes beyond
 * the UDP datagram, and packets whose IP datagram would outgrow {@code mtu}. The MTU is a constant
 * of the generated code, read by the caller from the interface the program is attached to: it keeps
 * the code runnable on kernels before 5.12 (no bpf_check_mtu) and under BPF_PROG_TEST_RUN, at the
 * price of a reload when the interface's MTU changes.
 *
 * @param counters a {@link TagCounter#mapSpec per-CPU counter map}
 * @param mtu the largest IP datagram the interface sends, in bytes
 */
public record UdpTagWriter(BpfMap counters, int mtu) {
    public UdpTagWriter {
        CounterIncrement.requireCounterMap(counters);
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("an IP MTU is between 68 and 65535 bytes, not " + mtu);
        }
    }

    /**
     * Emits the tagging. Afterwards {@code tagOut} holds the id written (never 0) or 0 if the packet
     * was skipped (and counted). Clobbers R0-R5 and the {@code scratch} stack bytes; {@code ctx}
     * (the __sk_buff pointer) and {@code tagOut} must be callee-saved registers (R6-R9). Packet
     * pointers taken before this code are invalid after it: reload data and data_end.
     */
    public void emit(Assembler a, Reg ctx, Reg tagOut, TagScratch scratch) {
        requireCalleeSaved(ctx, tagOut);
        String p = "udp_tag_" + a.position() + "_";
        UdpDatagramParser.emit(a, ctx, scratch, p + "not_udp", p + "fragment");
        emitEligibility(a, ctx, p);
        emitTrailer(a, tagOut, scratch);
        emitGrowth(a, ctx, scratch, p);
        emitSkipped(a, tagOut, scratch, p);
        a.label(p + "done");
    }

    /** After the parse (R0 IP length, R1 IP payload, R2 UDP length, R3 skb->len). */
    private void emitEligibility(Assembler a, Reg ctx, String p) {
        a.ldx(4, R4, ctx, SkBuffFields.GSO_SIZE)
                .jne(R4, 0, p + "gso")
                .ldx(4, R4, ctx, SkBuffFields.GSO_SEGS)
                .jgt(R4, 1, p + "gso")
                .jlt(R1, R2, p + "not_udp")                    // truncated: shorter than its UDP length
                .jgt(R1, R2, p + "already_longer")
                .mov64(R4, R0)
                .add64(R4, ETH_HLEN)
                .jne(R4, R3, p + "already_longer")             // padding after the IP datagram
                .mov64(R4, R0)
                .add64(R4, TagTrailer.LENGTH)
                .jgt(R4, mtu, p + "over_mtu");
    }

    /** Draws the id into tagOut and lays the trailer out on the stack; R3 = skb->len is kept. */
    private static void emitTrailer(Assembler a, Reg tagOut, TagScratch s) {
        String nonzero = "udp_tag_id_" + a.position();
        a.stx(4, R10, s.trailerOffset(), R3)
                .call(Helper.GET_PRANDOM_U32)
                .jne(R0, 0, nonzero)
                .mov64(R0, 1)
                .label(nonzero)
                .mov32(tagOut, R0)
                .mov32(R1, R0)
                .toBigEndian(R1, 32)
                .stx(4, R10, s.trailer(), R1)
                .xor32(R1, -1)
                .stx(4, R10, s.trailer() + 4, R1);
    }

    private static void emitGrowth(Assembler a, Reg ctx, TagScratch s, String p) {
        a.mov64(R1, ctx)
                .ldx(4, R2, R10, s.trailerOffset())
                .add64(R2, TagTrailer.LENGTH)
                .mov64(R3, 0)
                .call(Helper.SKB_CHANGE_TAIL)
                .jne(R0, 0, p + "grow_failed")
                .mov64(R1, ctx)
                .ldx(4, R2, R10, s.trailerOffset())
                .mov64(R3, R10)
                .add64(R3, s.trailer())
                .mov64(R4, TagTrailer.LENGTH)
                .mov64(R5, SkbHelperFlags.BPF_F_RECOMPUTE_CSUM)
                .call(Helper.SKB_STORE_BYTES)
                .jne(R0, 0, p + "undo");
        IpLengthEdit.emit(a, ctx, s, TagTrailer.LENGTH, p + "undo");
        a.ja(p + "done")
                .label(p + "undo")
                .mov64(R1, ctx)
                .ldx(4, R2, R10, s.trailerOffset())
                .mov64(R3, 0)
                .call(Helper.SKB_CHANGE_TAIL)
                .mov64(R1, TagCounter.WRITE_FAILED.ordinal())
                .ja(p + "count");
    }

    private void emitSkipped(Assembler a, Reg tagOut, TagScratch s, String p) {
        for (TagCounter reason : new TagCounter[] {TagCounter.GSO, TagCounter.FRAGMENT, TagCounter.OVER_MTU,
                TagCounter.NOT_UDP, TagCounter.ALREADY_LONGER, TagCounter.GROW_FAILED}) {
            a.label(p + reason.name().toLowerCase(Locale.ROOT))
                    .mov64(R1, reason.ordinal())
                    .ja(p + "count");
        }
        a.label(p + "count").mov64(tagOut, 0);
        CounterIncrement.emit(a, counters, s);
    }

    static void requireCalleeSaved(Reg... regs) {
        for (int i = 0; i < regs.length; i++) {
            if (regs[i].number() < 6 || regs[i].number() > 9) {
                throw new IllegalArgumentException("the tag code calls helpers, which clobber R0-R5: pass R6-R9, not " + regs[i]);
            }
            for (int j = 0; j < i; j++) {
                if (regs[i] == regs[j]) {
                    throw new IllegalArgumentException("the context and the tag need two registers, both given as " + regs[i]);
                }
            }
        }
    }
}
