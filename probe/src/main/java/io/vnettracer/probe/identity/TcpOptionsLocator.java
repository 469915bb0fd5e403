package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.PacketHeaders.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.prog.SkBuffFields;

/**
 * Emits the parse that finds a TCP segment's option bytes: an untagged Ethernet frame carrying
 * IPv4 (any header length, not a later fragment) or IPv6 (no extension header) and TCP, with the
 * fixed 20 bytes of the TCP header in the skb's linear data.
 *
 * <p>On success the code falls through with R1 = a packet pointer to the first option byte (the
 * 21st byte of the TCP header), R3 = data_end and R4 = the length of the option area the header
 * claims (data offset × 4 − 20, so 0 to {@value PacketHeaders#TCP_OPTION_SPACE}), in host order.
 * The option bytes themselves are not checked against data_end: that is the walk's job, which
 * reads what exists. Anything else jumps to {@code notTcp}. Clobbers R0-R5; reads nothing but the
 * context in {@code ctx}.
 */
final class TcpOptionsLocator {
    private TcpOptionsLocator() {}

    static void emit(Assembler a, Reg ctx, String notTcp) {
        String p = "tcp_locate_" + a.position() + "_";
        a.ldx(4, R2, ctx, SkBuffFields.DATA)
                .ldx(4, R3, ctx, SkBuffFields.DATA_END)
                .mov64(R4, R2)
                .add64(R4, ETH_HLEN + IPV4_MIN_HLEN)
                .jgt(R4, R3, notTcp)
                .ldx(2, R5, R2, ETH_PROTO)
                .jeq(R5, be16(ETH_P_IPV6), p + "ipv6")
                .jne(R5, be16(ETH_P_IP), notTcp);
        emitIpv4(a, notTcp);
        a.ja(p + "tcp").label(p + "ipv6");
        emitIpv6(a, notTcp);
        a.label(p + "tcp");
        emitTcp(a, notTcp);
    }

    /** R2 = data, R3 = data_end, 20 bytes of IPv4 header readable; leaves R5 = the TCP header's offset. */
    private static void emitIpv4(Assembler a, String notTcp) {
        a.ldx(1, R5, R2, ETH_HLEN)
                .mov64(R4, R5)
                .and64(R4, 0xF0)
                .jne(R4, 0x40, notTcp)
                .and64(R5, 0x0F)
                .lsh64(R5, 2)                                  // R5 = IP header length in bytes
                .jlt(R5, IPV4_MIN_HLEN, notTcp)
                .ldx(1, R4, R2, ETH_HLEN + IPV4_PROTOCOL)
                .jne(R4, IPPROTO_TCP, notTcp)
                .ldx(2, R4, R2, ETH_HLEN + IPV4_FRAG_OFF)
                .and64(R4, be16(IPV4_OFFSET))
                .jne(R4, 0, notTcp)
                .add64(R5, ETH_HLEN);
    }

    /** R2 = data, R3 = data_end; leaves R5 = the TCP header's offset. */
    private static void emitIpv6(Assembler a, String notTcp) {
        a.mov64(R4, R2)
                .add64(R4, ETH_HLEN + IPV6_HLEN)
                .jgt(R4, R3, notTcp)
                .ldx(1, R5, R2, ETH_HLEN)
                .and64(R5, 0xF0)
                .jne(R5, 0x60, notTcp)
                .ldx(1, R4, R2, ETH_HLEN + IPV6_NEXTHDR)
                .jne(R4, IPPROTO_TCP, notTcp)
                .mov64(R5, ETH_HLEN + IPV6_HLEN);
    }

    /** R2 = data, R3 = data_end, R5 = the TCP header's offset (at most 14 + 60). */
    private static void emitTcp(Assembler a, String notTcp) {
        a.mov64(R1, R2)
                .add64(R1, R5)
                .mov64(R4, R1)
                .add64(R4, TCP_HLEN)
                .jgt(R4, R3, notTcp)
                .ldx(1, R4, R1, TCP_DOFF)
                .and64(R4, 0xF0)
                .rsh64(R4, 2)                                  // R4 = TCP header length in bytes
                .jlt(R4, TCP_HLEN, notTcp)
                .sub64(R4, TCP_HLEN)
                .add64(R1, TCP_HLEN);
    }
}
