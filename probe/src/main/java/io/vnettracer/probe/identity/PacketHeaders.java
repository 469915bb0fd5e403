package io.vnettracer.probe.identity;

/**
 * Offsets and values of the headers the tag code parses, for untagged Ethernet frames as a tc
 * program sees them (data starts at the Ethernet header).
 */
final class PacketHeaders {
    /** ETH_HLEN, include/uapi/linux/if_ether.h. */
    static final int ETH_HLEN = 14;
    /** Offset of h_proto in struct ethhdr. */
    static final int ETH_PROTO = 12;
    /** ETH_P_IP and ETH_P_IPV6, include/uapi/linux/if_ether.h. */
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_IPV6 = 0x86DD;

    /** struct iphdr, include/uapi/linux/ip.h: offsets from the IP header. */
    static final int IPV4_MIN_HLEN = 20;
    static final int IPV4_TOT_LEN = 2;
    static final int IPV4_FRAG_OFF = 6;
    static final int IPV4_PROTOCOL = 9;
    static final int IPV4_CHECK = 10;
    /** IP_MF | IP_OFFSET (include/net/ip.h): a fragment has either. */
    static final int IPV4_MF_OR_OFFSET = 0x3FFF;
    /** IP_OFFSET (include/net/ip.h): only the first fragment (offset 0) holds the transport header. */
    static final int IPV4_OFFSET = 0x1FFF;

    /** struct ipv6hdr, include/uapi/linux/ipv6.h. */
    static final int IPV6_HLEN = 40;
    static final int IPV6_PAYLOAD_LEN = 4;
    static final int IPV6_NEXTHDR = 6;

    /** IPPROTO_TCP, IPPROTO_UDP (include/uapi/linux/in.h), NEXTHDR_FRAGMENT (include/net/ipv6.h). */
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int NEXTHDR_FRAGMENT = 44;

    /** struct udphdr, include/uapi/linux/udp.h. */
    static final int UDP_HLEN = 8;
    static final int UDP_LEN = 4;

    /** struct tcphdr, include/uapi/linux/tcp.h: the byte whose high nibble is doff (header length in words). */
    static final int TCP_HLEN = 20;
    static final int TCP_DOFF = 12;
    /** MAX_TCP_OPTION_SPACE, include/net/tcp.h. */
    static final int TCP_OPTION_SPACE = 40;
    /** TCPOPT_EOL and TCPOPT_NOP, include/net/tcp.h: the two options without a length byte. */
    static final int TCPOPT_EOL = 0;
    static final int TCPOPT_NOP = 1;

    /** Absolute offsets (from the Ethernet header) of the IP length fields. */
    static final int IPV4_TOT_LEN_AT = ETH_HLEN + IPV4_TOT_LEN;
    static final int IPV6_PAYLOAD_LEN_AT = ETH_HLEN + IPV6_PAYLOAD_LEN;
    static final int IPV4_CHECK_AT = ETH_HLEN + IPV4_CHECK;

    private PacketHeaders() {}

    /** A 16-bit network-order constant as a little-endian load from the packet reads it. */
    static int be16(int hostValue) {
        return Short.reverseBytes((short) hostValue) & 0xFFFF;
    }
}
