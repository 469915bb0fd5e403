package io.vnettracer.event;

/**
 * The packet key: the header fields a probe extracts from a packet, in the order a probe writes
 * them (first on its stack, where the filter reads them, then into the event). Addresses and
 * ports stay in network byte order, as they are on the wire; an IPv4 address takes the first 4
 * bytes of its 16.
 */
public final class PacketKeyLayout {
    /** Source address: 16 bytes. */
    public static final int SRC_ADDR = 0;
    /** Destination address: 16 bytes. */
    public static final int DST_ADDR = 16;
    /** u16, network order; 0 for protocols without ports. */
    public static final int SRC_PORT = 32;
    /** u16, network order. */
    public static final int DST_PORT = 34;
    /** u8: IPPROTO_* (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
    public static final int PROTOCOL = 36;
    /** u8: 4 or 6; 0 when the packet is neither IPv4 nor IPv6. */
    public static final int FAMILY = 37;
    /** u16, network order: the IPv4 identification field (0 for IPv6). */
    public static final int IP_ID = 38;
    /** u32, host order: bytes from the IP header to the end of the IP payload (the pcap {@code len} minus L2). */
    public static final int IP_LENGTH = 40;
    /** u8: TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10), else 0. */
    public static final int TCP_FLAGS = 44;
    /**
     * u8, TCP only: the bytes of the IP and TCP headers (IP header with options + TCP data offset
     * × 4), so that the TCP payload is {@link #IP_LENGTH} minus this; 0 for other protocols.
     */
    public static final int HEADERS_LENGTH = 45;
    /** 2 bytes of padding, zero. */
    public static final int RESERVED = 46;
    /**
     * 8 bytes as on the wire: for TCP the sequence and acknowledgement numbers, for UDP the first 8
     * payload bytes (zero-padded if shorter); invariants the fingerprint mixes in.
     */
    public static final int L4_DATA = 48;
    public static final int SIZE = 56;

    public static final int FAMILY_IPV4 = 4;
    public static final int FAMILY_IPV6 = 6;
    /** From include/uapi/linux/in.h and in6.h. */
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;

    private PacketKeyLayout() {}
}
