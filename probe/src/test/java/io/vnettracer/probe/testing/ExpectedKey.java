package io.vnettracer.probe.testing;

import io.vnettracer.event.PacketKeyLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Builds the 56 key bytes a test expects, field by field, as PacketKeyLayout lays them out. */
public final class ExpectedKey {
    private final ByteBuffer key = ByteBuffer.allocate(PacketKeyLayout.SIZE).order(ByteOrder.BIG_ENDIAN);

    public static ExpectedKey ipv4(String src, String dst, int protocol, int id, int ipLength) {
        ExpectedKey k = new ExpectedKey();
        k.key.put(PacketKeyLayout.SRC_ADDR, Packets.address(src)).put(PacketKeyLayout.DST_ADDR, Packets.address(dst));
        k.key.put(PacketKeyLayout.PROTOCOL, (byte) protocol).put(PacketKeyLayout.FAMILY, (byte) 4);
        k.key.putShort(PacketKeyLayout.IP_ID, (short) id);
        k.key.order(ByteOrder.LITTLE_ENDIAN).putInt(PacketKeyLayout.IP_LENGTH, ipLength).order(ByteOrder.BIG_ENDIAN);
        return k;
    }

    public static ExpectedKey ipv6(String src, String dst, int protocol, int ipLength) {
        ExpectedKey k = new ExpectedKey();
        k.key.put(PacketKeyLayout.SRC_ADDR, Packets.address(src)).put(PacketKeyLayout.DST_ADDR, Packets.address(dst));
        k.key.put(PacketKeyLayout.PROTOCOL, (byte) protocol).put(PacketKeyLayout.FAMILY, (byte) 6);
        k.key.order(ByteOrder.LITTLE_ENDIAN).putInt(PacketKeyLayout.IP_LENGTH, ipLength).order(ByteOrder.BIG_ENDIAN);
        return k;
    }

    public static ExpectedKey zero() {
        return new ExpectedKey();
    }

    public ExpectedKey ports(int src, int dst) {
        key.putShort(PacketKeyLayout.SRC_PORT, (short) src).putShort(PacketKeyLayout.DST_PORT, (short) dst);
        return this;
    }

    public ExpectedKey tcp(int flags, int seq, int ack) {
        key.put(PacketKeyLayout.TCP_FLAGS, (byte) flags)
                .putInt(PacketKeyLayout.L4_DATA, seq).putInt(PacketKeyLayout.L4_DATA + 4, ack);
        return this;
    }

    /** HEADERS_LENGTH (TCP): the IP and TCP headers' bytes. */
    public ExpectedKey headersLength(int bytes) {
        key.put(PacketKeyLayout.HEADERS_LENGTH, (byte) bytes);
        return this;
    }

    /** L4_DATA: up to 8 bytes, the rest zero. */
    public ExpectedKey l4Data(byte[] prefix) {
        key.put(PacketKeyLayout.L4_DATA, prefix, 0, Math.min(8, prefix.length));
        return this;
    }

    public byte[] bytes() {
        return key.array().clone();
    }

    /** The key field by field, for failure messages that say which field differs. */
    public static String describe(byte[] k) {
        HexFormat hex = HexFormat.of();
        return "src=" + hex.formatHex(k, 0, 16) + " dst=" + hex.formatHex(k, 16, 32)
                + " sport=" + hex.formatHex(k, 32, 34) + " dport=" + hex.formatHex(k, 34, 36)
                + " proto=" + hex.formatHex(k, 36, 37) + " family=" + hex.formatHex(k, 37, 38)
                + " id=" + hex.formatHex(k, 38, 40) + " iplen(le)=" + hex.formatHex(k, 40, 44)
                + " flags=" + hex.formatHex(k, 44, 45) + " hdrlen=" + hex.formatHex(k, 45, 46) + " pad=" + hex.formatHex(k, 46, 48)
                + " l4=" + hex.formatHex(k, 48, 56);
    }
}
