package io.vnettracer.bpf.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads a raw BTF blob: checks {@code struct btf_header} and finds where each type record starts.
 * Types are not decoded here; that happens on demand in {@link BtfTypeSection}.
 */
final class BtfReader {
    private BtfReader() {}

    /** BTF_MAGIC and BTF_VERSION from include/uapi/linux/btf.h. */
    static final int MAGIC = 0xeB9F;
    static final int VERSION = 1;

    /** Offsets within struct btf_header (include/uapi/linux/btf.h). */
    private static final int HDR_MAGIC = 0;
    private static final int HDR_VERSION = 2;
    private static final int HDR_LEN = 4;
    private static final int HDR_TYPE_OFF = 8;
    private static final int HDR_TYPE_LEN = 12;
    private static final int HDR_STR_OFF = 16;
    private static final int HDR_STR_LEN = 20;
    private static final int HEADER_SIZE = 24;

    /** Reads {@code blob}; {@code base} is the BTF a module's split BTF extends, or null. */
    static Btf read(byte[] blob, Btf base, String source) {
        if (blob.length < HEADER_SIZE) {
            throw new BtfException(source + ": " + blob.length + " bytes is too short for a BTF header");
        }
        ByteBuffer buf = ByteBuffer.wrap(blob).order(byteOrder(blob, source));
        int version = buf.get(HDR_VERSION) & 0xff;
        if (version != VERSION) {
            throw new BtfException(source + ": BTF version " + version + " is not supported (only " + VERSION + ")");
        }
        long hdrLen = Integer.toUnsignedLong(buf.getInt(HDR_LEN));
        if (hdrLen < HEADER_SIZE || hdrLen > blob.length) {
            throw new BtfException(source + ": BTF header length " + hdrLen + " is invalid");
        }
        int typesStart = section(buf, hdrLen, HDR_TYPE_OFF, HDR_TYPE_LEN, "type", source);
        int typesLength = buf.getInt(HDR_TYPE_LEN);
        int stringsStart = section(buf, hdrLen, HDR_STR_OFF, HDR_STR_LEN, "string", source);
        int stringsLength = buf.getInt(HDR_STR_LEN);

        BtfStrings strings = new BtfStrings(blob, stringsStart, stringsLength,
                base == null ? null : base.strings(), source);
        int[] offsets = typeOffsets(buf, typesStart, typesLength, source);
        int firstId = base == null ? 1 : base.nextTypeId();
        BtfTypeSection types = new BtfTypeSection(buf, offsets, firstId, strings, source);
        return new Btf(base, types, BtfNameIndex.build(types), source);
    }

    private static ByteOrder byteOrder(byte[] blob, String source) {
        int little = (blob[0] & 0xff) | (blob[1] & 0xff) << 8;
        if (little == MAGIC) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        int big = (blob[0] & 0xff) << 8 | (blob[1] & 0xff);
        if (big == MAGIC) {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new BtfException(String.format("%s: not BTF (magic 0x%04x, expected 0x%04x)", source, little, MAGIC));
    }

    /** The absolute start of a section, checked to lie inside the blob. Offsets count from the header's end. */
    private static int section(ByteBuffer buf, long hdrLen, int offField, int lenField, String what, String source) {
        long start = hdrLen + Integer.toUnsignedLong(buf.getInt(offField));
        long length = Integer.toUnsignedLong(buf.getInt(lenField));
        if (start + length > buf.capacity()) {
            throw new BtfException(source + ": BTF " + what + " section [" + start + ", " + (start + length)
                    + ") runs past the end of the blob (" + buf.capacity() + " bytes)");
        }
        return (int) start;
    }

    /** Walks the type section once, recording where each type starts. */
    private static int[] typeOffsets(ByteBuffer buf, int start, int length, String source) {
        int end = start + length;
        // vmlinux averages about 35 bytes per type; the array grows if the guess is short.
        int[] offsets = new int[Math.max(16, length / 32)];
        int count = 0;
        int pos = start;
        while (pos < end) {
            if (end - pos < BtfTypeSection.TYPE_SIZE) {
                throw new BtfException(source + ": BTF type section ends inside type record " + (count + 1));
            }
            int info = buf.getInt(pos + 4);
            int vlen = BtfTypeSection.infoVlen(info);
            int extra = switch (BtfTypeSection.infoKind(info)) {
                case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0; // PTR FWD TYPEDEF VOLATILE CONST RESTRICT FUNC FLOAT TYPE_TAG
                case 1, 14, 17 -> 4;                       // INT: encoding word; VAR: btf_var; DECL_TAG: btf_decl_tag
                case 3 -> 12;                              // ARRAY: btf_array
                case 4, 5, 15, 19 -> 12 * vlen;            // STRUCT UNION: btf_member; DATASEC: btf_var_secinfo; ENUM64
                case 6, 13 -> 8 * vlen;                    // ENUM: btf_enum; FUNC_PROTO: btf_param
                default -> throw new BtfException(source + ": unknown BTF kind " + BtfTypeSection.infoKind(info)
                        + " in type record " + (count + 1) + " at byte " + pos);
            };
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
            }
            offsets[count++] = pos;
            pos += BtfTypeSection.TYPE_SIZE + extra;
        }
        if (pos != end) {
            throw new BtfException(source + ": BTF type section ends inside type record " + count);
        }
        return Arrays.copyOf(offsets, count);
    }
}
