package io.vnettracer.probe.filter;

import io.vnettracer.event.PacketKeyLayout;

/** The transport protocols a filter names, with the IP family they belong to (0: either). */
public enum Protocol {
    TCP("tcp", PacketKeyLayout.IPPROTO_TCP, 0),
    UDP("udp", PacketKeyLayout.IPPROTO_UDP, 0),
    SCTP("sctp", 132, 0),
    /** IGMP for IPv4 only. */
    IGMP("igmp", 2, PacketKeyLayout.FAMILY_IPV4),
    /** ICMP for IPv4 only, as in pcap. */
    ICMP("icmp", PacketKeyLayout.IPPROTO_ICMP, PacketKeyLayout.FAMILY_IPV4),
    ICMP6("icmp6", PacketKeyLayout.IPPROTO_ICMPV6, PacketKeyLayout.FAMILY_IPV6);

    private final String keyword;
    private final int number;
    private final int family;

    Protocol(String keyword, int number, int family) {
        this.keyword = keyword;
        this.number = number;
        this.family = family;
    }

    public String keyword() {
        return keyword;
    }

    /** IPPROTO_* as in the key's PROTOCOL byte. */
    public int number() {
        return number;
    }

    /** The family the protocol is bound to, or 0 when it runs over both. */
    public int family() {
        return family;
    }

    static Protocol byKeyword(String word) {
        for (Protocol p : values()) {
            if (p.keyword.equals(word)) {
                return p;
            }
        }
        return null;
    }
}
