package io.vnettracer.probe.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Crafts packets for BPF_PROG_TEST_RUN: an L4 segment wrapped in IPv4 or IPv6, wrapped in an
 * Ethernet frame (optionally VLAN-tagged). Checksums are left zero; nothing here checks them.
 */
public final class Packets {
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86DD;
    public static final int ETH_P_8021Q = 0x8100;

    private Packets() {}

    public static byte[] udp(int sport, int dport, byte[] payload) {
        return udp(sport, dport, payload, 8 + payload.length);
    }

    /** A UDP header whose length field says {@code udpLength}, whatever follows it. */
    public static byte[] udp(int sport, int dport, byte[] payload, int udpLength) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) udpLength).putShort((short) 0).put(payload);
        return b.array();
    }

    public static byte[] tcp(int sport, int dport, int seq, int ack, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack)
                .put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    /** ICMP (or ICMPv6) echo request. */
    public static byte[] icmpEcho(int type) {
        return new byte[] {(byte) type, 0, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g'};
    }

    public static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
        return ipv4(src, dst, protocol, 0x1234, 0, new byte[0], l4);
    }

    /** IPv4 with {@code options} (a multiple of 4 bytes) and the given frag_off field. */
    public static byte[] ipv4(String src, String dst, int protocol, int id, int fragOff, byte[] options, byte[] l4) {
        int headerLength = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(headerLength + l4.length);
        b.put((byte) (0x40 | headerLength / 4)).put((byte) 0).putShort((short) (headerLength + l4.length))
                .putShort((short) id).putShort((short) fragOff).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(address(src)).put(address(dst)).put(options).put(l4);
        return b.array();
    }

    public static byte[] ipv6(String src, String dst, int nextHeader, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(40 + l4.length);
        b.putInt(0x60000000).putShort((short) l4.length).put((byte) nextHeader).put((byte) 64)
                .put(address(src)).put(address(dst)).put(l4);
        return b.array();
    }

    public static byte[] ethernet(int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) etherType).put(payload);
        return b.array();
    }

    public static byte[] ethernetVlan(int vlanId, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(18 + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1})
                .putShort((short) ETH_P_8021Q).putShort((short) vlanId).putShort((short) etherType).put(payload);
        return b.array();
    }

    /** An Ethernet frame around an IPv4 or IPv6 packet, the EtherType chosen from its version. */
    public static byte[] frame(byte[] ipPacket) {
        return ethernet((ipPacket[0] >> 4 & 0xF) == 6 ? ETH_P_IPV6 : ETH_P_IP, ipPacket);
    }

    /** An ARP request (who-has 10.0.0.2 tell 10.0.0.1) in an Ethernet frame. */
    public static byte[] arpRequest() {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4).putShort((short) 1)
                .put(new byte[] {2, 0, 0, 0, 0, 1}).put(address("10.0.0.1"))
                .put(new byte[6]).put(address("10.0.0.2"));
        return ethernet(ETH_P_ARP, b.array());
    }

    public static byte[] truncate(byte[] packet, int length) {
        return java.util.Arrays.copyOf(packet, length);
    }

    public static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The address's bytes; test addresses are literals, never names. */
    public static byte[] address(String literal) {
        return InetAddress.ofLiteral(literal).getAddress();
    }
}
