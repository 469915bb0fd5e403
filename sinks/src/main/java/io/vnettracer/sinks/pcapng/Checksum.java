package io.vnettracer.sinks.pcapng;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071) over bytes already in a buffer, in network order. */
final class Checksum {
    private Checksum() {}

    /** Adds {@code length} bytes from {@code offset} to a running 32-bit sum. */
    static int add(int sum, ByteBuffer buffer, int offset, int length) {
        long s = Integer.toUnsignedLong(sum);
        int i = 0;
        for (; i + 1 < length; i += 2) {
            s += ((buffer.get(offset + i) & 0xff) << 8) | (buffer.get(offset + i + 1) & 0xff);
        }
        if (i < length) {
            s += (buffer.get(offset + i) & 0xff) << 8;
        }
        while ((s >>> 32) != 0) {
            s = (s & 0xffffffffL) + (s >>> 32);
        }
        return (int) s;
    }

    /** The ones' complement of the folded sum: the value to put in the header. */
    static int fold(int sum) {
        long s = Integer.toUnsignedLong(sum);
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /** The pseudo-header's sum for an L4 checksum, read from the IP header at {@code ipStart}. */
    static int pseudoHeader(ByteBuffer buffer, int ipStart, boolean v6, int protocol, int l4Length) {
        int sum = v6 ? add(0, buffer, ipStart + 8, 32) : add(0, buffer, ipStart + 12, 8);
        long s = Integer.toUnsignedLong(sum) + protocol + (l4Length & 0xffff) + (l4Length >>> 16);
        return (int) ((s & 0xffffffffL) + (s >>> 32));
    }
}
