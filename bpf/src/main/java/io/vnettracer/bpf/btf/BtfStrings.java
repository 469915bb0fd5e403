package io.vnettracer.bpf.btf;

import java.nio.charset.StandardCharsets;

/**
 * The string section of a BTF blob: NUL-terminated names addressed by byte offset. In split BTF
 * (a kernel module's) offsets below the base's total string length name the base's strings, as
 * libbpf and the kernel read them.
 */
final class BtfStrings {
    private final byte[] bytes;
    private final int start;
    private final int length;
    /** The string offset this section's first byte has: 0, or the base's end for split BTF. */
    private final int firstOffset;
    private final BtfStrings base;
    private final String source;

    BtfStrings(byte[] bytes, int start, int length, BtfStrings base, String source) {
        this.bytes = bytes;
        this.start = start;
        this.length = length;
        this.base = base;
        this.firstOffset = base == null ? 0 : base.endOffset();
        this.source = source;
        if (length > 0 && bytes[start + length - 1] != 0) {
            throw new BtfException(source + ": BTF string section does not end with a NUL byte");
        }
        if (base == null && (length == 0 || bytes[start] != 0)) {
            throw new BtfException(source + ": BTF string section does not start with the empty string");
        }
    }

    /** One past the last string offset this section (with its base) covers. */
    int endOffset() {
        return firstOffset + length;
    }

    String get(int offset) {
        if (offset < firstOffset) {
            return base.get(offset);
        }
        int from = position(offset);
        int end = from;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /** The hash of the string at {@code offset}, equal to {@link #hash(byte[])} of its bytes. */
    int hash(int offset) {
        if (offset < firstOffset) {
            return base.hash(offset);
        }
        int h = HASH_SEED;
        for (int i = position(offset); bytes[i] != 0; i++) {
            h = (h ^ (bytes[i] & 0xff)) * HASH_PRIME;
        }
        return h;
    }

    static int hash(byte[] name) {
        int h = HASH_SEED;
        for (byte b : name) {
            h = (h ^ (b & 0xff)) * HASH_PRIME;
        }
        return h;
    }

    /** Whether the string at {@code offset} is exactly {@code name}. */
    boolean matches(int offset, byte[] name) {
        if (offset < firstOffset) {
            return base.matches(offset, name);
        }
        int p = position(offset);
        if (length - (p - start) <= name.length) {
            return false;
        }
        for (byte b : name) {
            if (bytes[p++] != b) {
                return false;
            }
        }
        return bytes[p] == 0;
    }

    private int position(int offset) {
        int local = offset - firstOffset;
        if (local < 0 || local >= length) {
            throw new BtfException(source + ": BTF string offset " + offset + " lies outside the string section ["
                    + firstOffset + ", " + endOffset() + ")");
        }
        return start + local;
    }

    // FNV-1a, 32 bit.
    private static final int HASH_SEED = 0x811c9dc5;
    private static final int HASH_PRIME = 0x01000193;
}
