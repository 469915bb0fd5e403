package io.vnettracer.probe.codegen;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.event.PacketKeyLayout;

/**
 * Fills the packet key in the {@link Frame} from IP and L4 headers, whichever {@link HeaderSource}
 * brings them to the stack: IPv4 (options skipped by IHL), IPv6 (fixed header: with extension
 * headers, PROTOCOL is the next-header value and ports stay zero), ports, TCP flags and seq/ack,
 * the first 8 UDP payload bytes (zero beyond the datagram). A packet that is neither leaves the
 * key zero (family 0).
 *
 * <p>Register contract: as the source's; R6 and R9 survive, R0-R5 and R8 are clobbered.
 */
public final class HeaderParser {
    private static final int IPV6_HEADER = 40;

    private final HeaderSource source;

    HeaderParser(HeaderSource source) {
        this.source = source;
    }

    public void parse(Assembler a) {
        String p = "key" + a.position() + "_";
        source.start(a, p + "done");
        a.ldx(1, R1, R10, Frame.IP_SCRATCH)
                .rsh64(R1, 4)
                .jeq(R1, 4, p + "v4")
                .jeq(R1, 6, p + "v6")
                .ja(p + "done");
        ipv4(a, p);
        ipv6(a, p);
        ports(a, p);
        a.label(p + "done");
    }

    private void ipv4(Assembler a, String p) {
        int ip = Frame.IP_SCRATCH;
        int key = Frame.KEY;
        a.label(p + "v4")
                .st(1, R10, key + PacketKeyLayout.FAMILY, PacketKeyLayout.FAMILY_IPV4)
                .ldx(4, R1, R10, ip + 12).stx(4, R10, key + PacketKeyLayout.SRC_ADDR, R1)
                .ldx(4, R1, R10, ip + 16).stx(4, R10, key + PacketKeyLayout.DST_ADDR, R1)
                .ldx(1, R1, R10, ip + 9).stx(1, R10, key + PacketKeyLayout.PROTOCOL, R1)
                .ldx(2, R1, R10, ip + 4).stx(2, R10, key + PacketKeyLayout.IP_ID, R1)
                .ldx(2, R1, R10, ip + 2).toBigEndian(R1, 16).stx(4, R10, key + PacketKeyLayout.IP_LENGTH, R1)
                // L4 starts IHL * 4 bytes after the IP header.
                .ldx(1, R1, R10, ip)
                .and64(R1, 0x0f)
                .lsh64(R1, 2);
        source.advance(a, R1);
        a.ja(p + "l4");
    }

    private void ipv6(Assembler a, String p) {
        int ip = Frame.IP_SCRATCH;
        int key = Frame.KEY;
        a.label(p + "v6");
        source.ensureIpv6Header(a, p + "done");
        a.st(1, R10, key + PacketKeyLayout.FAMILY, PacketKeyLayout.FAMILY_IPV6);
        for (int i = 0; i < 16; i += 8) {
            a.ldx(8, R1, R10, ip + 8 + i).stx(8, R10, key + PacketKeyLayout.SRC_ADDR + i, R1)
                    .ldx(8, R1, R10, ip + 24 + i).stx(8, R10, key + PacketKeyLayout.DST_ADDR + i, R1);
        }
        a.ldx(1, R1, R10, ip + 6).stx(1, R10, key + PacketKeyLayout.PROTOCOL, R1)
                .ldx(2, R1, R10, ip + 4).toBigEndian(R1, 16).add64(R1, IPV6_HEADER)
                .stx(4, R10, key + PacketKeyLayout.IP_LENGTH, R1);
        source.advance(a, IPV6_HEADER);
    }

    private void ports(Assembler a, String p) {
        int l4 = Frame.L4_SCRATCH;
        int key = Frame.KEY;
        a.label(p + "l4")
                .ldx(1, R1, R10, key + PacketKeyLayout.PROTOCOL)
                .jeq(R1, PacketKeyLayout.IPPROTO_TCP, p + "ports")
                .jne(R1, PacketKeyLayout.IPPROTO_UDP, p + "done")
                .label(p + "ports");
        source.loadL4(a, p + "done");
        a.ldx(2, R1, R10, l4).stx(2, R10, key + PacketKeyLayout.SRC_PORT, R1)
                .ldx(2, R1, R10, l4 + 2).stx(2, R10, key + PacketKeyLayout.DST_PORT, R1)
                .ldx(1, R1, R10, key + PacketKeyLayout.PROTOCOL)
                .jeq(R1, PacketKeyLayout.IPPROTO_UDP, p + "udp")
                // TCP: sequence and acknowledgement numbers, and the flags byte.
                .ldx(4, R1, R10, l4 + 4).stx(4, R10, key + PacketKeyLayout.L4_DATA, R1)
                .ldx(4, R1, R10, l4 + 8).stx(4, R10, key + PacketKeyLayout.L4_DATA + 4, R1)
                .ldx(1, R1, R10, l4 + 13).stx(1, R10, key + PacketKeyLayout.TCP_FLAGS, R1)
                // HEADERS_LENGTH: the IP header (IHL, or IPv6's fixed 40) plus the TCP data offset.
                .mov64(R2, IPV6_HEADER)
                .ldx(1, R1, R10, key + PacketKeyLayout.FAMILY)
                .jeq(R1, PacketKeyLayout.FAMILY_IPV6, p + "tcphl")
                .ldx(1, R2, R10, Frame.IP_SCRATCH).and64(R2, 0x0f).lsh64(R2, 2)
                .label(p + "tcphl")
                .ldx(1, R1, R10, l4 + 12).rsh64(R1, 4).lsh64(R1, 2)
                .add64(R1, R2)
                .stx(1, R10, key + PacketKeyLayout.HEADERS_LENGTH, R1)
                .ja(p + "done")
                .label(p + "udp")
                // UDP: the first 8 payload bytes. A shorter datagram leaves whatever followed it in
                // the buffer, so clear what lies beyond the UDP length.
                .ldx(8, R1, R10, l4 + 8)
                .ldx(2, R2, R10, l4 + 4).toBigEndian(R2, 16)
                .jge(R2, 16, p + "udpstore")
                .jle(R2, 8, p + "udpzero")
                // keep (len - 8) bytes: mask = (1 << 8 * (len - 8)) - 1 on a little-endian load
                .sub64(R2, 8).lsh64(R2, 3)
                .mov64(R3, 1).lsh64(R3, R2).sub64(R3, 1)
                .and64(R1, R3)
                .ja(p + "udpstore")
                .label(p + "udpzero")
                .mov64(R1, 0)
                .label(p + "udpstore")
                .stx(8, R10, key + PacketKeyLayout.L4_DATA, R1);
    }
}
