package io.vnettracer.probe.identity;

import io.vnettracer.probe.testing.Packets;
import java.nio.ByteBuffer;

/** Crafted TCP segments with a chosen option area, and option bytes to fill it with. */
final class TcpFrames {
    static final int TCP_OFFSET_IPV4 = 14 + 20;

    private TcpFrames() {}

    /** A TCP header whose data offset covers {@code options} (padded with EOL to a multiple of 4), then the payload. */
    static byte[] tcp(byte[] options, byte[] payload) {
        int optionLength = (options.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(20 + optionLength + payload.length);
        b.putShort((short) 40000).putShort((short) 7007).putInt(1).putInt(0)
                .put((byte) ((20 + optionLength) / 4 << 4)).put((byte) 0x18).putShort((short) 65535)
                .putShort((short) 0).putShort((short) 0)
                .put(options).position(20 + optionLength).put(payload);
        return b.array();
    }

    static byte[] ipv4(byte[] tcpSegment) {
        return Packets.ethernet(Packets.ETH_P_IP, Packets.ipv4("10.213.90.1", "10.213.90.2", 6, tcpSegment));
    }

    static byte[] ipv6(byte[] tcpSegment) {
        return Packets.ethernet(Packets.ETH_P_IPV6, Packets.ipv6("fd00::1", "fd00::2", 6, tcpSegment));
    }

    /** Our option: 254, 8, ExID, id. */
    static byte[] tag(int exid, int id) {
        return ByteBuffer.allocate(TcpTagOption.LENGTH).put((byte) TcpTagOption.KIND).put((byte) TcpTagOption.LENGTH)
                .putShort((short) exid).putInt(id).array();
    }

    static byte[] nops(int count) {
        byte[] b = new byte[count];
        java.util.Arrays.fill(b, (byte) 1);
        return b;
    }

    /** The options Linux puts on a data segment: NOP, NOP, timestamps (10 bytes). */
    static byte[] timestamps(int tsval, int tsecr) {
        return ByteBuffer.allocate(12).put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10)
                .putInt(tsval).putInt(tsecr).array();
    }

    /** The options Linux puts on a SYN: MSS, SACK permitted + timestamps, NOP + window scale. */
    static byte[] synOptions() {
        return ByteBuffer.allocate(20).put(new byte[] {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10})
                .putInt(0x11223344).putInt(0).put(new byte[] {1, 3, 3, 7}).array();
    }

    static byte[] concat(byte[]... parts) {
        return Packets.concat(parts);
    }
}
