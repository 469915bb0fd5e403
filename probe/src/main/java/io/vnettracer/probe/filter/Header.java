package io.vnettracer.probe.filter;

/**
 * The headers a byte-offset expression ({@code ip[6:2]}, {@code tcp[13]}) can index, as in
 * pcap-filter(7): the offset counts from the start of that header, and the expression is true only
 * for packets that have it (an IPv4 packet for {@code ip[]}; an unfragmented, or first-fragment,
 * IPv4 packet of that protocol for {@code tcp[]}, {@code udp[]}, {@code icmp[]}, as in libpcap,
 * which does not find transport headers behind IPv6 for these).
 */
public enum Header {
    LINK("ether", 0, 0),
    IP("ip", 0x0800, 0),
    IP6("ip6", 0x86DD, 0),
    ARP("arp", 0x0806, 0),
    RARP("rarp", 0x8035, 0),
    TCP("tcp", 0x0800, 6),
    UDP("udp", 0x0800, 17),
    ICMP("icmp", 0x0800, 1),
    IGMP("igmp", 0x0800, 2),
    SCTP("sctp", 0x0800, 132),
    /** ICMPv6 right behind the fixed IPv6 header (no extension headers), as libpcap reads it. */
    ICMP6("icmp6", 0x86DD, 58);

    static final int ETHERTYPE_IP = 0x0800;
    static final int ETHERTYPE_IP6 = 0x86DD;

    private final String keyword;
    private final int etherType;
    private final int protocol;

    Header(String keyword, int etherType, int protocol) {
        this.keyword = keyword;
        this.etherType = etherType;
        this.protocol = protocol;
    }

    public String keyword() {
        return keyword;
    }

    /** The EtherType of the network header this header is in (0 for the link header itself). */
    int etherType() {
        return etherType;
    }

    /** The IP protocol of a transport header, 0 for a network or link header. */
    int protocol() {
        return protocol;
    }

    boolean isTransport() {
        return protocol != 0;
    }

    static Header byKeyword(String word) {
        if (word.equals("link")) {
            return LINK;
        }
        for (Header h : values()) {
            if (h.keyword.equals(word)) {
                return h;
            }
        }
        return null;
    }
}
