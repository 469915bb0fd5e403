package io.vnettracer.bpf.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Lays out one netlink message in an off-heap buffer: the header, a fixed family header (e.g.
 * struct tcmsg) and attributes, nested ones included. Values are in host byte order, as netlink
 * wants. The socket fills in the sequence number when it sends the message.
 *
 * <p>Not thread-safe; one builder is reused for every request of a socket.
 */
public final class MessageBuilder {
    private final MemorySegment buffer;
    private int length;

    /** A builder over {@code buffer}, which must be 4-byte aligned. */
    public MessageBuilder(MemorySegment buffer) {
        if (buffer.address() % Netlink.ALIGNTO != 0) {
            throw new IllegalArgumentException("netlink buffer must be 4-byte aligned");
        }
        this.buffer = buffer;
    }

    /** Starts a new message of {@code type} with {@code flags}; forgets the previous one. */
    public MessageBuilder begin(int type, int flags) {
        buffer.asSlice(0, Math.max(length, Netlink.NLMSG_HDRLEN)).fill((byte) 0);
        length = Netlink.NLMSG_HDRLEN;
        buffer.set(JAVA_SHORT, Netlink.NLMSG_TYPE_OFFSET, (short) type);
        buffer.set(JAVA_SHORT, Netlink.NLMSG_FLAGS_OFFSET, (short) flags);
        return this;
    }

    /** Appends {@code size} zeroed bytes (padded to 4) and returns their offset, for a family header. */
    public int reserve(int size) {
        int offset = length;
        int padded = Netlink.align(size);
        ensure(padded);
        buffer.asSlice(offset, padded).fill((byte) 0);
        length += padded;
        return offset;
    }

    public MessageBuilder putByte(int offset, int value) {
        buffer.set(JAVA_BYTE, offset, (byte) value);
        return this;
    }

    public MessageBuilder putInt(int offset, int value) {
        buffer.set(JAVA_INT, offset, value);
        return this;
    }

    /** Appends a u32 attribute. */
    public MessageBuilder attribute(int type, int value) {
        int at = attributeHeader(type, Integer.BYTES);
        buffer.set(JAVA_INT, at + Netlink.NLA_HDRLEN, value);
        return this;
    }

    /** Appends a NUL-terminated string attribute (NLA_STRING / NLA_NUL_STRING policies both accept it). */
    public MessageBuilder attribute(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int at = attributeHeader(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, at + Netlink.NLA_HDRLEN, bytes.length);
        return this;
    }

    /** Opens a nested attribute; close it with {@link #endNested} giving the returned offset. */
    public int beginNested(int type) {
        return attributeHeader(type | Netlink.NLA_F_NESTED, 0);
    }

    /** Closes the nested attribute opened at {@code start}: its length now covers what was appended. */
    public MessageBuilder endNested(int start) {
        buffer.set(JAVA_SHORT, start, (short) (length - start));
        return this;
    }

    /** Writes a header of an attribute with {@code payload} bytes, reserves them zeroed; returns its offset. */
    private int attributeHeader(int type, int payload) {
        int start = length;
        int total = Netlink.NLA_HDRLEN + payload;
        int padded = Netlink.align(total);
        ensure(padded);
        buffer.asSlice(start, padded).fill((byte) 0);
        buffer.set(JAVA_SHORT, start, (short) total);
        buffer.set(JAVA_SHORT, start + 2, (short) type);
        length += padded;
        return start;
    }

    private void ensure(int more) {
        if (length + more > buffer.byteSize()) {
            throw new IllegalStateException("netlink message of more than " + buffer.byteSize() + " bytes");
        }
    }

    /** Sets the length and sequence number; returns the message's length. */
    int finish(int seq) {
        buffer.set(JAVA_INT, Netlink.NLMSG_LEN_OFFSET, length);
        buffer.set(JAVA_INT, Netlink.NLMSG_SEQ_OFFSET, seq);
        return length;
    }

    void addFlags(int flags) {
        buffer.set(JAVA_SHORT, Netlink.NLMSG_FLAGS_OFFSET, (short) (flags() | flags));
    }

    int type() {
        return Short.toUnsignedInt(buffer.get(JAVA_SHORT, Netlink.NLMSG_TYPE_OFFSET));
    }

    int flags() {
        return Short.toUnsignedInt(buffer.get(JAVA_SHORT, Netlink.NLMSG_FLAGS_OFFSET));
    }

    /** The bytes of the message built so far (for sending and for tests). */
    public MemorySegment message() {
        return buffer.asSlice(0, length);
    }

    /** The message's length so far, in bytes. */
    public int length() {
        return length;
    }
}
