package io.vnettracer.probe.identity;

import java.nio.ByteBuffer;

/** Crafted Ethernet frames for the tag tests, and the IPv4 header checksum to check them by. */
final class UdpFrames {
    static final int ETH_HLEN = 14;

    private UdpFrames() {}

    /** An IPv4 UDP frame with {@code optionWords} 4-byte words of IP options and the given fragment field. */
    static byte[] ipv4(byte[] payload, int optionWords, int fragmentField, int protocol) {
        int ihl = 20 + 4 * optionWords;
        int totLen = ihl + 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(ETH_HLEN + totLen);
        ethernet(b, 0x0800);
        b.put((byte) (0x40 | ihl / 4)).put((byte) 0).putShort((short) totLen)
                .putShort((short) 0x1234).putShort((short) fragmentField)
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(new byte[] {10, (byte) 213, 60, 1}).put(new byte[] {10, (byte) 213, 60, 2});
        for (int i = 0; i < optionWords; i++) {
            b.putInt(0x01010101);                              // NOP options
        }
        udp(b, payload);
        byte[] frame = b.array();
        int sum = ipv4Checksum(frame, ihl);
        frame[ETH_HLEN + 10] = (byte) (sum >>> 8);
        frame[ETH_HLEN + 11] = (byte) sum;
        return frame;
    }

    static byte[] ipv4(byte[] payload) {
        return ipv4(payload, 0, 0x4000, 17);                   // DF, as a local socket sends
    }

    /** An IPv6 UDP frame (next header {@code nextHeader}, no extension headers). */
    static byte[] ipv6(byte[] payload, int nextHeader) {
        ByteBuffer b = ByteBuffer.allocate(ETH_HLEN + 40 + 8 + payload.length);
        ethernet(b, 0x86DD);
        b.putInt(0x60000000).putShort((short) (8 + payload.length)).put((byte) nextHeader).put((byte) 64);
        b.putLong(0xfd00000000000000L).putLong(1).putLong(0xfd00000000000000L).putLong(2);
        udp(b, payload);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, int etherType) {
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) etherType);
    }

    private static void udp(ByteBuffer b, byte[] payload) {
        b.putShort((short) 40000).putShort((short) 5353).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
    }

    /** The ones'-complement checksum of the IPv4 header with its checksum field taken as 0. */
    static int ipv4Checksum(byte[] frame, int ihl) {
        long sum = 0;
        for (int i = 0; i < ihl; i += 2) {
            if (i == 10) {
                continue;
            }
            sum += (frame[ETH_HLEN + i] & 0xFF) << 8 | (frame[ETH_HLEN + i + 1] & 0xFF);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
