package io.vnettracer.probe.packet;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R10;
import static io.vnettracer.bpf.asm.Reg.R2;
import static io.vnettracer.bpf.asm.Reg.R3;
import static io.vnettracer.bpf.asm.Reg.R4;
import static io.vnettracer.bpf.asm.Reg.R5;
import static io.vnettracer.bpf.asm.Reg.R6;
import static io.vnettracer.probe.packet.HeaderLayout.loadedAsLittleEndian;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.packet.HeaderLayout.Ethernet;
import io.vnettracer.probe.packet.HeaderLayout.Ipv4;
import io.vnettracer.probe.packet.HeaderLayout.Ipv6;
import io.vnettracer.probe.packet.HeaderLayout.Tcp;
import io.vnettracer.probe.packet.HeaderLayout.Udp;
import io.vnettracer.probe.packet.HeaderLayout.Vlan;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Emits the instructions that parse a packet by direct packet access and write its
 * {@link PacketKeyLayout packet key} onto the program's stack.
 *
 * <h2>Contract of the emitted code</h2>
 * <ul>
 *   <li><b>On entry</b> R6 holds the program's context (the {@code __sk_buff} or {@code xdp_md}
 *       pointer the program received in R1).</li>
 *   <li><b>On exit</b> control falls through past the emitted code, always; the 56 key bytes at
 *       {@code R10 + keyOffset} are written: zeroed first, then filled with what the packet
 *       holds.</li>
 *   <li><b>Clobbers</b> R0 to R5. <b>Preserves</b> R6 (the context), R7, R8, R9, and every stack
 *       byte outside the key.</li>
 *   <li><b>Labels</b> it defines all start with {@code labelPrefix + "_"}; two emissions into one
 *       program need two prefixes.</li>
 * </ul>
 *
 * <h2>What is extracted</h2>
 * Ethernet (tc, XDP) with at most one in-band 802.1Q or 802.1ad tag; IPv4 with its options
 * skipped (IHL honoured) and no ports for non-first fragments; IPv6's fixed header only, so when
 * an extension header follows, PROTOCOL holds that header's number (0 hop-by-hop, 43 routing,
 * 44 fragment, ...) and the ports and L4_DATA stay zero; TCP ports, the whole flags byte (the
 * layout's five flags plus URG, ECE, CWR) and seq+ack; UDP ports and the first 8 payload bytes,
 * bounded by the UDP length (Ethernet padding is not payload) and by the end of the captured
 * data, zero-padded; ICMP and ICMPv6 have no ports. For TCP, HEADERS_LENGTH is the IP header's length plus the TCP data
 * offset. IP_LENGTH comes from the IP header (IPv4
 * tot_len, IPv6 payload_len + 40), not from the skb. A non-IP packet leaves the key all zero;
 * a header cut short by data_end leaves its fields and everything after them zero (a truncated
 * IP header leaves even the family 0).
 *
 * <p>Tags the driver or the stack moved out of the packet (VLAN acceleration: {@code
 * skb->vlan_tci}) are not in the data and are not seen; that is the usual case for tc on
 * devices with tx/rx VLAN offload.
 */
public final class KeyExtractor {
    private static final Pattern LABEL_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int KEY_WORDS = PacketKeyLayout.SIZE / 8;
    private static final int UDP_PAYLOAD_PREFIX = 8;

    private final PacketContext context;
    private final int keyOffset;
    private final String prefix;

    /**
     * @param keyOffset where the key starts, relative to R10: a multiple of 8 from -512 to -56
     * @param labelPrefix a label-safe name unique within the program, e.g. {@code "key"}
     */
    public KeyExtractor(PacketContext context, int keyOffset, String labelPrefix) {
        this.context = Objects.requireNonNull(context, "context");
        if (keyOffset % 8 != 0 || keyOffset < -512 || keyOffset > -PacketKeyLayout.SIZE) {
            throw new IllegalArgumentException("the key's frame offset must be a multiple of 8 from -512 to -"
                    + PacketKeyLayout.SIZE + " (the stack is 512 bytes and 8-byte stores must be aligned), not " + keyOffset);
        }
        if (labelPrefix == null || !LABEL_PREFIX.matcher(labelPrefix).matches()) {
            throw new IllegalArgumentException("label prefix must be a name like 'key' or 'key_2', not '" + labelPrefix + "'");
        }
        this.keyOffset = keyOffset;
        this.prefix = labelPrefix + "_";
    }

    public PacketContext context() {
        return context;
    }

    public int keyOffset() {
        return keyOffset;
    }

    /** Emits the extraction; see the class comment for what it leaves where. */
    public void emit(Assembler a) {
        zeroKey(a);
        loadPacketBounds(a);
        if (context.hasEthernet()) {
            dispatchOnEtherType(a);
        } else {
            dispatchOnIpVersion(a);
        }
        extractIpv4(a);
        extractIpv6(a);
        dispatchOnTransport(a);
        extractTcp(a);
        extractUdp(a);
        a.label(label("done"));
    }

    private String label(String name) {
        return prefix + name;
    }

    private int key(int field) {
        return keyOffset + field;
    }

    /** Seven 8-byte stores of zero: the key starts clean for every packet. */
    void zeroKey(Assembler a) {
        for (int i = 0; i < KEY_WORDS; i++) {
            a.st(8, R10, keyOffset + 8 * i, 0);
        }
    }

    /** R2 = data, R3 = data_end. */
    void loadPacketBounds(Assembler a) {
        a.ldx(4, R2, R6, context.dataField())
                .ldx(4, R3, R6, context.dataEndField());
    }

    /**
     * R4 = the L3 header after Ethernet and at most one VLAN tag; jumps to the IPv4 or IPv6
     * extraction, or to the end for anything else.
     */
    private void dispatchOnEtherType(Assembler a) {
        a.mov64(R4, R2).add64(R4, Ethernet.ETH_HLEN)
                .jgt(R4, R3, label("done"))
                .ldx(2, R5, R2, Ethernet.TYPE)
                .jeq(R5, loadedAsLittleEndian(Ethernet.ETH_P_8021Q), label("vlan"))
                .jeq(R5, loadedAsLittleEndian(Ethernet.ETH_P_8021AD), label("vlan"))
                .ja(label("ethertype"))
                .label(label("vlan"))
                .mov64(R4, R2).add64(R4, Ethernet.ETH_HLEN + Vlan.VLAN_HLEN)
                .jgt(R4, R3, label("done"))
                .ldx(2, R5, R2, Vlan.INNER_TYPE)
                .label(label("ethertype"))
                .jeq(R5, loadedAsLittleEndian(Ethernet.ETH_P_IP), label("ipv4"))
                .jeq(R5, loadedAsLittleEndian(Ethernet.ETH_P_IPV6), label("ipv6"))
                .ja(label("done"));
    }

    /** R4 = data, the IP header; dispatches on the version nibble. */
    private void dispatchOnIpVersion(Assembler a) {
        a.mov64(R4, R2)
                .mov64(R0, R4).add64(R0, 1)
                .jgt(R0, R3, label("done"))
                .ldx(1, R5, R4, Ipv4.VERSION_IHL)
                .rsh64(R5, 4)
                .jeq(R5, PacketKeyLayout.FAMILY_IPV4, label("ipv4"))
                .jeq(R5, PacketKeyLayout.FAMILY_IPV6, label("ipv6"))
                .ja(label("done"));
    }

    /** From R4 = the IPv4 header: family, protocol, addresses, id, length; R4 = L4 header after. */
    private void extractIpv4(Assembler a) {
        a.label(label("ipv4"))
                .mov64(R0, R4).add64(R0, Ipv4.MIN_HLEN)
                .jgt(R0, R3, label("done"))
                .st(1, R10, key(PacketKeyLayout.FAMILY), PacketKeyLayout.FAMILY_IPV4);
        copy(a, 1, Ipv4.PROTOCOL, PacketKeyLayout.PROTOCOL);
        copy(a, 4, Ipv4.SADDR, PacketKeyLayout.SRC_ADDR);
        copy(a, 4, Ipv4.DADDR, PacketKeyLayout.DST_ADDR);
        copy(a, 2, Ipv4.ID, PacketKeyLayout.IP_ID);
        a.ldx(2, R5, R4, Ipv4.TOT_LEN)
                .toBigEndian(R5, 16)
                .stx(4, R10, key(PacketKeyLayout.IP_LENGTH), R5)
                // A non-first fragment carries no L4 header: no ports to read.
                .ldx(2, R5, R4, Ipv4.FRAG_OFF)
                .jset(R5, loadedAsLittleEndian(Ipv4.IP_OFFSET_MASK), label("done"))
                .ldx(1, R5, R4, Ipv4.VERSION_IHL)
                .and64(R5, 0x0F)
                .jlt(R5, Ipv4.MIN_HLEN / 4, label("done"))
                .lsh64(R5, 2)
                // R1 keeps the IP header's length for TCP's HEADERS_LENGTH.
                .mov64(R1, R5)
                .add64(R4, R5)
                .ja(label("l4"));
    }

    /** From R4 = the IPv6 header: family, next header, addresses, length; R4 = the byte after it. */
    private void extractIpv6(Assembler a) {
        a.label(label("ipv6"))
                .mov64(R0, R4).add64(R0, Ipv6.HLEN)
                .jgt(R0, R3, label("done"))
                .st(1, R10, key(PacketKeyLayout.FAMILY), PacketKeyLayout.FAMILY_IPV6);
        copy(a, 1, Ipv6.NEXTHDR, PacketKeyLayout.PROTOCOL);
        copy(a, 8, Ipv6.SADDR, PacketKeyLayout.SRC_ADDR);
        copy(a, 8, Ipv6.SADDR + 8, PacketKeyLayout.SRC_ADDR + 8);
        copy(a, 8, Ipv6.DADDR, PacketKeyLayout.DST_ADDR);
        copy(a, 8, Ipv6.DADDR + 8, PacketKeyLayout.DST_ADDR + 8);
        a.ldx(2, R5, R4, Ipv6.PAYLOAD_LEN)
                .toBigEndian(R5, 16)
                .add64(R5, Ipv6.HLEN)
                .stx(4, R10, key(PacketKeyLayout.IP_LENGTH), R5)
                .mov64(R1, Ipv6.HLEN)
                .add64(R4, Ipv6.HLEN);
    }

    /** Reads back the protocol the IP extraction stored and goes to the TCP or UDP extraction. */
    private void dispatchOnTransport(Assembler a) {
        a.label(label("l4"))
                .ldx(1, R5, R10, key(PacketKeyLayout.PROTOCOL))
                .jeq(R5, PacketKeyLayout.IPPROTO_UDP, label("udp"))
                .jne(R5, PacketKeyLayout.IPPROTO_TCP, label("done"));
    }

    /**
     * From R4 = the TCP header and R1 = the IP header's length: ports, flags, seq and ack, and the
     * length of both headers (so the payload is known). Falls through to the end.
     */
    private void extractTcp(Assembler a) {
        a.mov64(R0, R4).add64(R0, Tcp.MIN_HLEN)
                .jgt(R0, R3, label("done"));
        copy(a, 2, Tcp.SOURCE, PacketKeyLayout.SRC_PORT);
        copy(a, 2, Tcp.DEST, PacketKeyLayout.DST_PORT);
        copy(a, 1, Tcp.FLAGS, PacketKeyLayout.TCP_FLAGS);
        copy(a, 8, Tcp.SEQ, PacketKeyLayout.L4_DATA);
        a.ldx(1, R5, R4, Tcp.DATA_OFFSET)
                .rsh64(R5, 4)
                .lsh64(R5, 2)
                .add64(R5, R1)
                .stx(1, R10, key(PacketKeyLayout.HEADERS_LENGTH), R5)
                .ja(label("done"));
    }

    /**
     * From R4 = the UDP header: ports, then up to 8 payload bytes. The payload's length is the
     * smaller of what the UDP header claims and what lies before data_end; a whole 8-byte word
     * when both allow it, else byte by byte, each byte with its own bounds check.
     */
    private void extractUdp(Assembler a) {
        a.label(label("udp"))
                .mov64(R0, R4).add64(R0, Udp.HLEN)
                .jgt(R0, R3, label("done"));
        copy(a, 2, Udp.SOURCE, PacketKeyLayout.SRC_PORT);
        copy(a, 2, Udp.DEST, PacketKeyLayout.DST_PORT);
        a.ldx(2, R1, R4, Udp.LEN)
                .toBigEndian(R1, 16)
                .sub64(R1, Udp.HLEN)
                .jslt(R1, UDP_PAYLOAD_PREFIX, label("udp_bytes"))
                .mov64(R0, R4).add64(R0, Udp.HLEN + UDP_PAYLOAD_PREFIX)
                .jgt(R0, R3, label("udp_bytes"));
        copy(a, 8, Udp.HLEN, PacketKeyLayout.L4_DATA);
        a.ja(label("done"))
                .label(label("udp_bytes"));
        for (int i = 0; i < UDP_PAYLOAD_PREFIX; i++) {
            a.jsle(R1, i, label("done"))
                    .mov64(R0, R4).add64(R0, Udp.HLEN + i + 1)
                    .jgt(R0, R3, label("done"));
            copy(a, 1, Udp.HLEN + i, PacketKeyLayout.L4_DATA + i);
        }
    }

    /** key[field..] = packet[R4 + from..], {@code bytes} as they are (network order kept). */
    private void copy(Assembler a, int bytes, int from, int field) {
        a.ldx(bytes, R5, R4, from).stx(bytes, R10, key(field), R5);
    }
}
