package io.vnettracer.bpf.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The attributes of a received message (or of one nested attribute), indexed by type. When a type
 * appears more than once the last one wins. Reads the memory it was parsed from: use it only while
 * that memory holds the message.
 */
public final class Attributes {
    private static final int MAX_TYPE = 64;

    private final MemorySegment segment;
    /** Payload offset and length per attribute type; -1 where absent. */
    private final int[] offsets = new int[MAX_TYPE];
    private final int[] lengths = new int[MAX_TYPE];

    private Attributes(MemorySegment segment) {
        this.segment = segment;
        Arrays.fill(offsets, -1);
    }

    /** Parses the attributes in {@code segment} from {@code start} to {@code end}. */
    public static Attributes parse(MemorySegment segment, int start, int end) {
        Attributes a = new Attributes(segment);
        int at = start;
        while (at + Netlink.NLA_HDRLEN <= end) {
            int length = Short.toUnsignedInt(segment.get(JAVA_SHORT, at));
            int type = Short.toUnsignedInt(segment.get(JAVA_SHORT, at + 2)) & Netlink.NLA_TYPE_MASK;
            if (length < Netlink.NLA_HDRLEN || at + length > end) {
                throw new IllegalArgumentException("malformed netlink attribute of length " + length + " at offset " + at);
            }
            if (type < MAX_TYPE) {
                a.offsets[type] = at + Netlink.NLA_HDRLEN;
                a.lengths[type] = length - Netlink.NLA_HDRLEN;
            }
            at += Netlink.align(length);
        }
        return a;
    }

    public boolean has(int type) {
        return type < MAX_TYPE && offsets[type] >= 0;
    }

    /** A u32 attribute's value; throws if absent. */
    public int u32(int type) {
        check(type, Integer.BYTES);
        return segment.get(JAVA_INT, offsets[type]);
    }

    /** A u32 attribute's value, or {@code absent} if the message has none. */
    public int u32(int type, int absent) {
        return has(type) ? u32(type) : absent;
    }

    /** A string attribute without its terminating NUL; null if absent. */
    public String string(int type) {
        if (!has(type)) {
            return null;
        }
        int end = offsets[type];
        int limit = offsets[type] + lengths[type];
        while (end < limit && segment.get(JAVA_BYTE, end) != 0) {
            end++;
        }
        byte[] bytes = segment.asSlice(offsets[type], end - offsets[type]).toArray(JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The attributes inside a nested attribute; empty if absent. */
    public Attributes nested(int type) {
        if (!has(type)) {
            return new Attributes(segment);
        }
        return parse(segment, offsets[type], offsets[type] + lengths[type]);
    }

    private void check(int type, int size) {
        if (!has(type)) {
            throw new IllegalArgumentException("netlink attribute " + type + " is absent");
        }
        if (lengths[type] < size) {
            throw new IllegalArgumentException("netlink attribute " + type + " has " + lengths[type] + " bytes, not " + size);
        }
    }
}
