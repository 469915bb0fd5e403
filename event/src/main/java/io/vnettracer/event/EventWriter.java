package io.vnettracer.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes events the way probes do, for recorded traces, generated test input and benchmarks of
 * everything above the kernel. Positioned like {@link EventView}; allocates nothing.
 */
public final class EventWriter {
    private static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long base;

    /** Positions the writer at {@code offset} and zeroes the event there. */
    public EventWriter wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.base = offset;
        segment.asSlice(offset, EventLayout.SIZE).fill((byte) 0);
        segment.set(ValueLayout.JAVA_BYTE, offset + EventLayout.VERSION, (byte) EventLayout.CURRENT_VERSION);
        return this;
    }

    public EventWriter kind(EventKind kind) { return u8(EventLayout.KIND, kind.code()); }
    public EventWriter idMode(IdMode mode) { return u8(EventLayout.ID_MODE, mode.code()); }
    public EventWriter flags(int flags) { return u8(EventLayout.FLAGS, flags); }
    public EventWriter probeId(int id) { segment.set(U32_LE, base + EventLayout.PROBE_ID, id); return this; }
    public EventWriter timestamp(long ns) { segment.set(U64_LE, base + EventLayout.TIMESTAMP, ns); return this; }
    public EventWriter tag(long tag) { segment.set(U32_LE, base + EventLayout.TAG, (int) tag); return this; }
    public EventWriter cpu(int cpu) { segment.set(U32_LE, base + EventLayout.CPU, cpu); return this; }
    public EventWriter ifindex(int ifindex) { segment.set(U32_LE, base + EventLayout.IFINDEX, ifindex); return this; }
    public EventWriter skbLength(int length) { segment.set(U32_LE, base + EventLayout.SKB_LENGTH, length); return this; }
    public EventWriter netnsCookie(long cookie) { segment.set(U64_LE, base + EventLayout.NETNS_COOKIE, cookie); return this; }
    public EventWriter extra(long extra) { segment.set(U64_LE, base + EventLayout.EXTRA, extra); return this; }

    /** An IPv4 flow: addresses as big-endian ints, ports in host order. */
    public EventWriter ipv4(int src, int dst, int protocol, int srcPort, int dstPort) {
        segment.set(U32_BE, key(PacketKeyLayout.SRC_ADDR), src);
        segment.set(U32_BE, key(PacketKeyLayout.DST_ADDR), dst);
        return l4(PacketKeyLayout.FAMILY_IPV4, protocol, srcPort, dstPort);
    }

    /** An IPv6 flow: each address as two big-endian halves. */
    public EventWriter ipv6(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, int srcPort, int dstPort) {
        segment.set(U64_BE, key(PacketKeyLayout.SRC_ADDR), srcHigh);
        segment.set(U64_BE, key(PacketKeyLayout.SRC_ADDR + 8), srcLow);
        segment.set(U64_BE, key(PacketKeyLayout.DST_ADDR), dstHigh);
        segment.set(U64_BE, key(PacketKeyLayout.DST_ADDR + 8), dstLow);
        return l4(PacketKeyLayout.FAMILY_IPV6, protocol, srcPort, dstPort);
    }

    public EventWriter ipId(int id) { segment.set(U16_BE, key(PacketKeyLayout.IP_ID), (short) id); return this; }
    public EventWriter ipLength(int length) { segment.set(U32_LE, key(PacketKeyLayout.IP_LENGTH), length); return this; }
    public EventWriter tcpFlags(int flags) { return u8(EventLayout.KEY + PacketKeyLayout.TCP_FLAGS, flags); }
    /** TCP: the bytes of the IP and TCP headers (the payload is the IP length minus these). */
    public EventWriter headersLength(int bytes) { return u8(EventLayout.KEY + PacketKeyLayout.HEADERS_LENGTH, bytes); }
    /** The 8 bytes of L4 data, wire order. */
    public EventWriter l4Data(long data) { segment.set(U64_BE, key(PacketKeyLayout.L4_DATA), data); return this; }

    private EventWriter l4(int family, int protocol, int srcPort, int dstPort) {
        u8(EventLayout.KEY + PacketKeyLayout.FAMILY, family);
        u8(EventLayout.KEY + PacketKeyLayout.PROTOCOL, protocol);
        segment.set(U16_BE, key(PacketKeyLayout.SRC_PORT), (short) srcPort);
        segment.set(U16_BE, key(PacketKeyLayout.DST_PORT), (short) dstPort);
        return this;
    }

    private long key(int offset) {
        return base + EventLayout.KEY + offset;
    }

    private EventWriter u8(int offset, int value) {
        segment.set(ValueLayout.JAVA_BYTE, base + offset, (byte) value);
        return this;
    }
}
