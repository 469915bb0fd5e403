package io.vnettracer.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads one event in place: {@link #wrap} positions the view over an event in any memory (the
 * ring buffer, a file, a test's array) and the getters read fields at {@link EventLayout} offsets.
 * Allocates nothing.
 */
public final class EventView {
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long base;

    /** Positions the view over the event at {@code offset}; returns this view. */
    public EventView wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.base = offset;
        return this;
    }

    /** Copies the {@value EventLayout#SIZE} bytes under the view, as they are, into {@code target} at {@code offset}. */
    public void copyTo(MemorySegment target, long offset) {
        MemorySegment.copy(segment, base, target, offset, EventLayout.SIZE);
    }

    public int version() { return u8(EventLayout.VERSION); }
    public int kindCode() { return u8(EventLayout.KIND); }
    public EventKind kind() { return EventKind.of(kindCode()); }
    public int idModeCode() { return u8(EventLayout.ID_MODE); }
    public IdMode idMode() { return IdMode.of(idModeCode()); }
    public int flags() { return u8(EventLayout.FLAGS); }
    public int probeId() { return segment.get(U32_LE, base + EventLayout.PROBE_ID); }
    public long timestamp() { return segment.get(U64_LE, base + EventLayout.TIMESTAMP); }
    /** The tag as an unsigned 32-bit value in a long; 0 when the packet had none. */
    public long tag() { return Integer.toUnsignedLong(segment.get(U32_LE, base + EventLayout.TAG)); }
    public int cpu() { return segment.get(U32_LE, base + EventLayout.CPU); }
    public int ifindex() { return segment.get(U32_LE, base + EventLayout.IFINDEX); }
    public int skbLength() { return segment.get(U32_LE, base + EventLayout.SKB_LENGTH); }
    public long netnsCookie() { return segment.get(U64_LE, base + EventLayout.NETNS_COOKIE); }
    public long extra() { return segment.get(U64_LE, base + EventLayout.EXTRA); }

    public int family() { return u8(EventLayout.KEY + PacketKeyLayout.FAMILY); }
    public int protocol() { return u8(EventLayout.KEY + PacketKeyLayout.PROTOCOL); }
    /** Source port in host order. */
    public int srcPort() { return Short.toUnsignedInt(segment.get(U16_BE, base + EventLayout.KEY + PacketKeyLayout.SRC_PORT)); }
    /** Destination port in host order. */
    public int dstPort() { return Short.toUnsignedInt(segment.get(U16_BE, base + EventLayout.KEY + PacketKeyLayout.DST_PORT)); }
    public int ipId() { return Short.toUnsignedInt(segment.get(U16_BE, base + EventLayout.KEY + PacketKeyLayout.IP_ID)); }
    public int ipLength() { return segment.get(U32_LE, base + EventLayout.KEY + PacketKeyLayout.IP_LENGTH); }
    public int tcpFlags() { return u8(EventLayout.KEY + PacketKeyLayout.TCP_FLAGS); }
    /** For TCP, the bytes of the IP and TCP headers; 0 for other protocols (and for keys written before it existed). */
    public int headersLength() { return u8(EventLayout.KEY + PacketKeyLayout.HEADERS_LENGTH); }

    /**
     * For TCP, the payload bytes (IP length minus headers); -1 when not TCP or the headers'
     * length is unknown. A GSO packet's payload is that of all its segments together.
     */
    public int tcpPayloadLength() {
        int headers = headersLength();
        return protocol() != PacketKeyLayout.IPPROTO_TCP || headers == 0 ? -1 : Math.max(0, ipLength() - headers);
    }

    /** For TCP, the sequence number (host order, unsigned in an int's bits). */
    public int tcpSeq() { return segment.get(U32_BE, base + EventLayout.KEY + PacketKeyLayout.L4_DATA); }
    /** The 8 bytes of L4 data as a big-endian number (wire order). */
    public long l4Data() { return segment.get(U64_BE, base + EventLayout.KEY + PacketKeyLayout.L4_DATA); }

    /** An IPv4 source address as a big-endian int (a.b.c.d is a << 24 | ...). */
    public int srcIpv4() { return segment.get(U32_BE, base + EventLayout.KEY + PacketKeyLayout.SRC_ADDR); }
    public int dstIpv4() { return segment.get(U32_BE, base + EventLayout.KEY + PacketKeyLayout.DST_ADDR); }

    /** High and low halves of an address (IPv6; for IPv4 the address is in the top 4 bytes of the high half). */
    public long srcAddrHigh() { return addrHalf(PacketKeyLayout.SRC_ADDR); }
    public long srcAddrLow() { return addrHalf(PacketKeyLayout.SRC_ADDR + 8); }
    public long dstAddrHigh() { return addrHalf(PacketKeyLayout.DST_ADDR); }
    public long dstAddrLow() { return addrHalf(PacketKeyLayout.DST_ADDR + 8); }

    /**
     * A 64-bit fingerprint of the fields that do not change along a path inside one host
     * (addresses, ports, protocol, IP ID, L4 data); the IP length is left out because a tag
     * trailer changes it.
     */
    public long fingerprint() {
        long h = Fingerprint.SEED;
        h = Fingerprint.mix(h, srcAddrHigh());
        h = Fingerprint.mix(h, srcAddrLow());
        h = Fingerprint.mix(h, dstAddrHigh());
        h = Fingerprint.mix(h, dstAddrLow());
        h = Fingerprint.mix(h, portsProtocolFamilyIpId());
        h = Fingerprint.mix(h, l4Data());
        return Fingerprint.finish(h);
    }

    /**
     * Source port, destination port, protocol, family and IP ID as one number: {@code srcPort << 48
     * | dstPort << 32 | protocol << 24 | family << 16 | ipId}. They lie in that order in the key,
     * so this is one read where five would do the same (the joiner reads it for every event).
     */
    public long portsProtocolFamilyIpId() { return segment.get(U64_BE, base + EventLayout.KEY + PacketKeyLayout.SRC_PORT); }

    private long addrHalf(int keyOffset) { return segment.get(U64_BE, base + EventLayout.KEY + keyOffset); }

    private int u8(int offset) {
        return Byte.toUnsignedInt(segment.get(U8, base + offset));
    }
}
