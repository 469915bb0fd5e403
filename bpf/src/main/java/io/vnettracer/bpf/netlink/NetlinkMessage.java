package io.vnettracer.bpf.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * A view of one received message in the socket's receive buffer. The socket repositions one view
 * over each message it hands out: read what you need inside the callback, keep nothing.
 */
public final class NetlinkMessage {
    private MemorySegment segment;
    private int offset;
    private int length;

    NetlinkMessage position(MemorySegment segment, int offset, int length) {
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public int type() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT, offset + Netlink.NLMSG_TYPE_OFFSET));
    }

    public int flags() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT, offset + Netlink.NLMSG_FLAGS_OFFSET));
    }

    int seq() {
        return segment.get(JAVA_INT, offset + Netlink.NLMSG_SEQ_OFFSET);
    }

    /** Bytes after the netlink header. */
    public int payloadLength() {
        return length - Netlink.NLMSG_HDRLEN;
    }

    /** A u8 of the payload (e.g. of the family header), at an offset from the payload's start. */
    public int u8(int payloadOffset) {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, offset + Netlink.NLMSG_HDRLEN + payloadOffset));
    }

    /** A 32-bit word of the payload, at an offset from the payload's start. */
    public int u32(int payloadOffset) {
        return segment.get(JAVA_INT, offset + Netlink.NLMSG_HDRLEN + payloadOffset);
    }

    /** The attributes that follow a family header of {@code familyHeaderSize} bytes. */
    public Attributes attributes(int familyHeaderSize) {
        int start = offset + Netlink.NLMSG_HDRLEN + Netlink.align(familyHeaderSize);
        return Attributes.parse(segment, start, offset + length);
    }
}
