package io.vnettracer.sinks.pcapng;

import io.vnettracer.event.EventView;
import io.vnettracer.event.PacketKeyLayout;
import java.nio.ByteBuffer;

/**
 * Rebuilds a packet's headers from a record's packet key, since probes copy no packet bytes: an
 * IPv4 or IPv6 header with the key's addresses, protocol, identification and IP length, then a UDP
 * header followed by the first 8 payload bytes the key keeps, or a TCP header with the key's
 * sequence and acknowledgement numbers and flags. What the key does not hold is made up and fixed:
 * TTL/hop limit 64, no IP options, DSCP 0, TCP window 65535, no TCP options.
 *
 * <p>Checksums: the IPv4 header checksum is always correct. A UDP or TCP checksum covers the whole
 * payload, which is known only when the key holds all of it (a UDP datagram of at most 8 payload
 * bytes); then it is computed. Otherwise it is 0, which for UDP over IPv4 means "no checksum"; UDP
 * over IPv6 must not carry 0 (RFC 8200), so there it is the placeholder 0xffff; TCP gets 0. Wireshark
 * leaves the L4 checksum of a packet whose payload is cut short unverified.
 */
final class PacketHeaders {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int UDP_HEADER = 8;
    static final int TCP_HEADER = 20;
    /** The key keeps this many bytes of a UDP payload. */
    static final int UDP_PAYLOAD_KEPT = 8;
    static final int MOST_BYTES = IPV6_HEADER + TCP_HEADER;
    private static final int TTL = 64;
    /** Not the datagram's checksum (its payload is not here): a non-zero stand-in, as IPv6 forbids 0. */
    static final int UNKNOWN_IPV6_UDP_CHECKSUM = 0xffff;

    private PacketHeaders() {}

    /** Whether {@link #write} can rebuild this record: its key is IPv4 or IPv6. */
    static boolean writable(EventView event) {
        int family = event.family();
        return family == PacketKeyLayout.FAMILY_IPV4 || family == PacketKeyLayout.FAMILY_IPV6;
    }

    /**
     * Writes the headers at the buffer's position; returns the packet's original length (the IP
     * length the probe saw, or the bytes written when the probe saw less).
     */
    static int write(EventView event, ByteBuffer out) {
        boolean v6 = event.family() == PacketKeyLayout.FAMILY_IPV6;
        int ipHeader = v6 ? IPV6_HEADER : IPV4_HEADER;
        int protocol = event.protocol();
        int l4Header = switch (protocol) {
            case PacketKeyLayout.IPPROTO_UDP -> UDP_HEADER;
            case PacketKeyLayout.IPPROTO_TCP -> TCP_HEADER;
            default -> 0;
        };
        int seen = event.ipLength();
        int kept = protocol == PacketKeyLayout.IPPROTO_UDP
                ? Math.min(UDP_PAYLOAD_KEPT, Math.max(0, seen - ipHeader - UDP_HEADER)) : 0;
        if (protocol == PacketKeyLayout.IPPROTO_UDP && seen < ipHeader + UDP_HEADER) {
            kept = 0;
        }
        int captured = ipHeader + l4Header + kept;
        int length = Math.max(seen, captured);
        int wireLength = Math.min(length, v6 ? 0xffff + IPV6_HEADER : 0xffff);

        int ipStart = out.position();
        if (v6) {
            ipv6(event, out, wireLength - IPV6_HEADER, protocol);
        } else {
            ipv4(event, out, wireLength, protocol);
        }
        int l4Start = out.position();
        if (protocol == PacketKeyLayout.IPPROTO_UDP) {
            udp(event, out, wireLength - ipHeader, kept);
            if (captured == length) {
                int sum = Checksum.pseudoHeader(out, ipStart, v6, protocol, wireLength - ipHeader);
                int checksum = Checksum.fold(Checksum.add(sum, out, l4Start, out.position() - l4Start));
                // In UDP, 0 means "none": a computed 0 is sent as all ones (RFC 768).
                putNetworkShort(out, l4Start + 6, checksum == 0 ? 0xffff : checksum);
            } else if (v6) {
                putNetworkShort(out, l4Start + 6, UNKNOWN_IPV6_UDP_CHECKSUM);
            }
        } else if (protocol == PacketKeyLayout.IPPROTO_TCP) {
            tcp(event, out);
        }
        return length;
    }

    private static void putNetworkShort(ByteBuffer out, int index, int value) {
        out.put(index, (byte) (value >>> 8)).put(index + 1, (byte) value);
    }

    private static void ipv4(EventView event, ByteBuffer out, int totalLength, int protocol) {
        int start = out.position();
        out.order(java.nio.ByteOrder.BIG_ENDIAN);
        try {
            out.put((byte) 0x45).put((byte) 0).putShort((short) totalLength)
                    .putShort((short) event.ipId()).putShort((short) 0)
                    .put((byte) TTL).put((byte) protocol).putShort((short) 0)
                    .putInt(event.srcIpv4()).putInt(event.dstIpv4());
            out.putShort(start + 10, (short) Checksum.fold(Checksum.add(0, out, start, IPV4_HEADER)));
        } finally {
            out.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static void ipv6(EventView event, ByteBuffer out, int payloadLength, int protocol) {
        out.order(java.nio.ByteOrder.BIG_ENDIAN);
        try {
            out.putInt(0x6000_0000).putShort((short) payloadLength).put((byte) protocol).put((byte) TTL)
                    .putLong(event.srcAddrHigh()).putLong(event.srcAddrLow())
                    .putLong(event.dstAddrHigh()).putLong(event.dstAddrLow());
        } finally {
            out.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static void udp(EventView event, ByteBuffer out, int udpLength, int kept) {
        out.order(java.nio.ByteOrder.BIG_ENDIAN);
        try {
            out.putShort((short) event.srcPort()).putShort((short) event.dstPort())
                    .putShort((short) Math.min(udpLength, 0xffff)).putShort((short) 0);
            long data = event.l4Data();
            for (int i = 0; i < kept; i++) {
                out.put((byte) (data >>> (56 - 8 * i)));
            }
        } finally {
            out.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static void tcp(EventView event, ByteBuffer out) {
        out.order(java.nio.ByteOrder.BIG_ENDIAN);
        try {
            long seqAck = event.l4Data();
            out.putShort((short) event.srcPort()).putShort((short) event.dstPort())
                    .putInt((int) (seqAck >>> 32)).putInt((int) seqAck)
                    .put((byte) 0x50).put((byte) event.tcpFlags()).putShort((short) 0xffff)
                    .putShort((short) 0).putShort((short) 0);
        } finally {
            out.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }
}
