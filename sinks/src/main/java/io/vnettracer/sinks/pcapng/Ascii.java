package io.vnettracer.sinks.pcapng;

import java.nio.ByteBuffer;

/** Text into a byte buffer without building strings: the per-record comment is written this way. */
final class Ascii {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Ascii() {}

    /** Writes {@code value} in decimal (with a minus sign when negative). */
    static void decimal(ByteBuffer out, long value) {
        if (value < 0) {
            out.put((byte) '-');
            if (value == Long.MIN_VALUE) {
                // -(MIN_VALUE) does not fit: write the last digit apart
                decimal(out, -(value / 10));
                out.put((byte) ('0' + (int) -(value % 10)));
                return;
            }
            value = -value;
        }
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        int end = out.position() + digits;
        for (int i = end - 1; i >= out.position(); i--) {
            out.put(i, (byte) ('0' + (int) (value % 10)));
            value /= 10;
        }
        out.position(end);
    }

    /** Writes {@code value} as 0x and 8 hex digits. */
    static void hex32(ByteBuffer out, long value) {
        out.put((byte) '0').put((byte) 'x');
        for (int shift = 28; shift >= 0; shift -= 4) {
            out.put(HEX[(int) (value >>> shift) & 0xf]);
        }
    }
}
