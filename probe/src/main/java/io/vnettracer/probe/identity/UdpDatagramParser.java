package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.PacketHeaders.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.prog.SkBuffFields;

/**
 * Emits the parse every tag generator starts with: an untagged Ethernet frame carrying IPv4 (any
 * header length) or IPv6 (no extension header) and a UDP header, all in the skb's linear data.
 *
 * <p>On success the code falls through with R0 = the IP datagram's length (IPv4 tot_len, or
 * 40 + IPv6 payload_len), R1 = the IP payload's length, R2 = the UDP length, R3 = skb->len, all in
 * host order, and with {@link TagScratch#lengthField()} and {@link TagScratch#lengthFieldOffset()}
 * filled. A frame that is not such a packet jumps to {@code notUdp}, a fragment to
 * {@code fragment}. Clobbers R0-R5; reads nothing but the context in {@code ctx}.
 */
final class UdpDatagramParser {
    private UdpDatagramParser() {}

    static void emit(Assembler a, Reg ctx, TagScratch s, String notUdp, String fragment) {
        String p = "udp_parse_" + a.position() + "_";
        a.ldx(4, R2, ctx, SkBuffFields.DATA)
                .ldx(4, R3, ctx, SkBuffFields.DATA_END)
                .mov64(R4, R2)
                .add64(R4, ETH_HLEN + IPV4_MIN_HLEN + UDP_HLEN)
                .jgt(R4, R3, notUdp)
                .ldx(2, R5, R2, ETH_PROTO)
                .jeq(R5, be16(ETH_P_IPV6), p + "ipv6")
                .jne(R5, be16(ETH_P_IP), notUdp);
        emitIpv4(a, s, notUdp, fragment);
        a.ja(p + "parsed").label(p + "ipv6");
        emitIpv6(a, s, notUdp, fragment);
        a.label(p + "parsed")
                .ldx(4, R3, ctx, SkBuffFields.LEN);
    }

    /** R2 = data, R3 = data_end, the IPv4 header's first 20 bytes are readable. */
    private static void emitIpv4(Assembler a, TagScratch s, String notUdp, String fragment) {
        a.ldx(1, R5, R2, ETH_HLEN)
                .mov64(R4, R5)
                .and64(R4, 0xF0)
                .jne(R4, 0x40, notUdp)
                .and64(R5, 0x0F)
                .lsh64(R5, 2)                                  // R5 = header length in bytes
                .jlt(R5, IPV4_MIN_HLEN, notUdp)
                .ldx(1, R4, R2, ETH_HLEN + IPV4_PROTOCOL)
                .jne(R4, IPPROTO_UDP, notUdp)
                .ldx(2, R4, R2, ETH_HLEN + IPV4_FRAG_OFF)
                .and64(R4, be16(IPV4_MF_OR_OFFSET))
                .jne(R4, 0, fragment)
                .ldx(2, R0, R2, IPV4_TOT_LEN_AT)
                .stx(2, R10, s.lengthField(), R0)
                .toBigEndian(R0, 16)                           // R0 = tot_len
                .st(4, R10, s.lengthFieldOffset(), IPV4_TOT_LEN_AT)
                .mov64(R1, R5)
                .add64(R1, UDP_HLEN)
                .jlt(R0, R1, notUdp)
                .mov64(R4, R2)                                 // R4 = the UDP header
                .add64(R4, R5)
                .add64(R4, ETH_HLEN)
                .mov64(R1, R4)
                .add64(R1, UDP_HLEN)
                .jgt(R1, R3, notUdp)
                .ldx(2, R2, R4, UDP_LEN)
                .toBigEndian(R2, 16)                           // R2 = UDP length
                .mov64(R1, R0)
                .sub64(R1, R5);                                // R1 = IP payload length
    }

    /** R2 = data, R3 = data_end. */
    private static void emitIpv6(Assembler a, TagScratch s, String notUdp, String fragment) {
        a.mov64(R4, R2)
                .add64(R4, ETH_HLEN + IPV6_HLEN + UDP_HLEN)
                .jgt(R4, R3, notUdp)
                .ldx(1, R5, R2, ETH_HLEN)
                .and64(R5, 0xF0)
                .jne(R5, 0x60, notUdp)
                .ldx(1, R4, R2, ETH_HLEN + IPV6_NEXTHDR)
                .jeq(R4, NEXTHDR_FRAGMENT, fragment)
                .jne(R4, IPPROTO_UDP, notUdp)
                .ldx(2, R1, R2, IPV6_PAYLOAD_LEN_AT)
                .stx(2, R10, s.lengthField(), R1)
                .toBigEndian(R1, 16)                           // R1 = payload_len = IP payload length
                .st(4, R10, s.lengthFieldOffset(), IPV6_PAYLOAD_LEN_AT)
                .mov64(R0, R1)
                .add64(R0, IPV6_HLEN)
                .ldx(2, R2, R2, ETH_HLEN + IPV6_HLEN + UDP_LEN)
                .toBigEndian(R2, 16);                          // R2 = UDP length
    }
}
