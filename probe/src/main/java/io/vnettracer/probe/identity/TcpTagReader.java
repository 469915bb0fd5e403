package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.PacketHeaders.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Reg;

/**
 * Emits the code that reads a TCP segment's tag at any tc hook: the option {@link TcpTagOption}
 * writes ({@code 254, 8, ExID, id}) found by walking the option area kind by kind, as a TCP
 * receiver does, so the bytes of another option (a timestamp that happens to hold 254, 8...)
 * never pass for ours, and our option is found wherever other writers put it.
 *
 * <p>The walk is unrolled: one block per byte position of the 40-byte option area, each reading
 * at a constant offset and running only if the previous option ended there. So the code has no
 * loop and no variable-offset access, and its verification stays about linear in the 40
 * positions, on every kernel we support. It reads the options in the skb's linear data directly
 * (the TCP stack builds every header there, and drivers pull received headers in): where the
 * linear data ends inside the option area, the walk stops at the last option it can read whole.
 *
 * <p>Not found: non-TCP packets, later IPv4 fragments, IPv6 extension headers, VLAN-tagged
 * frames, a malformed option area (an option running past the header's data offset, a length
 * below 2).
 */
public final class TcpTagReader {
    private TcpTagReader() {}

    /** {@link #emit(Assembler, Reg, Reg, TagScratch, int)} for {@link TcpTagOption#DEFAULT_EXID}. */
    public static void emit(Assembler a, Reg ctx, Reg tagOut, TagScratch s) {
        emit(a, ctx, tagOut, s, TcpTagOption.DEFAULT_EXID);
    }

    /**
     * Emits the read. Afterwards {@code tagOut} holds the id of the first option of kind 254, length
     * 8 and this ExID, or 0 if the packet has none. Clobbers R0-R5; {@code ctx} (the __sk_buff) and
     * {@code tagOut} must be R6-R9. Uses no stack: the scratch is taken so that every tag generator
     * has the same contract. Changes nothing in the packet, calls no helper.
     *
     * @param exid the ExID the writer was given ({@link TcpTagOption#exid()})
     */
    public static void emit(Assembler a, Reg ctx, Reg tagOut, TagScratch s, int exid) {
        UdpTagWriter.requireCalleeSaved(ctx, tagOut);
        if (exid < 0 || exid > 0xFFFF) {
            throw new IllegalArgumentException("an ExID is 16 bits, not " + exid);
        }
        String p = "tcp_tag_read_" + a.position() + "_";
        TcpOptionsLocator.emit(a, ctx, p + "none");
        a.mov64(R5, 0);                                        // R5 = where the next option starts
        for (int at = 0; at < TCP_OPTION_SPACE; at++) {
            emitOptionAt(a, at, tagOut, exid, p);
        }
        a.label(p + "at_" + TCP_OPTION_SPACE)
                .label(p + "none")
                .mov64(tagOut, 0)
                .label(p + "done");
    }

    /**
     * The block for an option starting at byte {@code at} of the area. In: R1 = the area, R3 =
     * data_end, R4 = the area's length, R5 = where the next option starts. Out: R5 advanced past
     * this option, or a jump to done (found) or none (end of options, malformed, out of data).
     */
    private static void emitOptionAt(Assembler a, int at, Reg tagOut, int exid, String p) {
        String next = p + "at_" + (at + 1);
        String none = p + "none";
        a.label(p + "at_" + at)
                .jne(R5, at, next)
                .jle(R4, at, none)                             // the area ends here
                // Kind and length in one load. A NOP in the last byte of the linear data stops
                // the walk early, which loses nothing: no option can follow it there.
                .mov64(R0, R1)
                .add64(R0, at + 2)
                .jgt(R0, R3, none)
                .ldx(2, R0, R1, at)                            // R0 = kind | length << 8
                .mov64(R2, R0)
                .and64(R2, 0xFF)                               // R2 = kind
                .jeq(R2, TCPOPT_EOL, none)
                .mov64(R5, at + 1)
                .jeq(R2, TCPOPT_NOP, next)
                .rsh64(R0, 8)                                  // R0 = length
                .jlt(R0, 2, none)
                .mov64(R5, R0)
                .add64(R5, at)
                .jgt(R5, R4, none);                            // runs past the area
        if (at + TcpTagOption.LENGTH > TCP_OPTION_SPACE) {
            return;                                            // no room for ours here
        }
        a.jne(R2, TcpTagOption.KIND, next)
                .jne(R0, TcpTagOption.LENGTH, next)
                .mov64(R0, R1)
                .add64(R0, at + TcpTagOption.LENGTH)
                .jgt(R0, R3, none)
                .ldx(2, R0, R1, at + 2)
                .jne(R0, be16(exid), next)                     // another experiment's option
                .ldx(4, tagOut, R1, at + 4)
                .toBigEndian(tagOut, 32)
                .ja(p + "done");
    }
}
