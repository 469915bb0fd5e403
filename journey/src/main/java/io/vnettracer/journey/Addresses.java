package io.vnettracer.journey;

import io.vnettracer.event.PacketKeyLayout;

/** Text forms of the addresses in a packet key: dotted IPv4, RFC 5952 IPv6 ("fd00::1"). */
public final class Addresses {
    private Addresses() {}

    /**
     * The address held in two big-endian halves as {@link io.vnettracer.event.EventView} reads it
     * (an IPv4 address in the top 4 bytes of {@code high}).
     */
    public static String format(int family, long high, long low) {
        if (family == PacketKeyLayout.FAMILY_IPV4) {
            int a = (int) (high >>> 32);
            return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
        }
        if (family == PacketKeyLayout.FAMILY_IPV6) {
            return ipv6(high, low);
        }
        return "?";
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (first if tied) of two or more zero groups as "::". */
    static String ipv6(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[4 + i] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Lower-case protocol name for the IPPROTO_* numbers probes report, else the number. */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case PacketKeyLayout.IPPROTO_TCP -> "tcp";
            case PacketKeyLayout.IPPROTO_UDP -> "udp";
            case PacketKeyLayout.IPPROTO_ICMP -> "icmp";
            case PacketKeyLayout.IPPROTO_ICMPV6 -> "icmpv6";
            default -> Integer.toString(protocol);
        };
    }
}
