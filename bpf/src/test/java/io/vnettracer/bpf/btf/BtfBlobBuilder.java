package io.vnettracer.bpf.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a BTF blob word by word, following the encoding of Documentation/bpf/btf.rst and
 * include/uapi/linux/btf.h, independently of the parser (it uses none of its constants).
 */
final class BtfBlobBuilder {
    private final List<Integer> typeWords = new ArrayList<>();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();
    private final int firstStringOffset;
    private int typeCount;

    /** For base BTF: the string section starts with the empty string at offset 0. */
    BtfBlobBuilder() {
        this.firstStringOffset = 0;
        strings.write(0);
        offsets.put("", 0);
    }

    /** For split BTF: string offsets continue after the base's {@code baseStringLength} bytes. */
    BtfBlobBuilder(int baseStringLength) {
        this.firstStringOffset = baseStringLength;
    }

    /** The name_off of {@code s}, appending it NUL-terminated the first time (BTF keeps each string once). */
    int string(String s) {
        return offsets.computeIfAbsent(s, k -> {
            int offset = firstStringOffset + strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return offset;
        });
    }

    int stringLength() {
        return strings.size();
    }

    /** Appends a struct btf_type; info = kind_flag << 31 | kind << 24 | vlen. Returns its index from 0. */
    int type(int nameOff, int kind, int vlen, boolean kindFlag, int sizeOrType) {
        int info = (kindFlag ? 1 << 31 : 0) | kind << 24 | vlen;
        words(nameOff, info, sizeOrType);
        return typeCount++;
    }

    /** Appends kind-specific data after the last type. */
    void words(int... words) {
        for (int w : words) {
            typeWords.add(w);
        }
    }

    /** struct btf_header {magic, version, flags, hdr_len, type_off, type_len, str_off, str_len} then the sections. */
    byte[] build(ByteOrder order) {
        int typeLen = typeWords.size() * 4;
        byte[] strs = strings.toByteArray();
        ByteBuffer buf = ByteBuffer.allocate(24 + typeLen + strs.length).order(order);
        buf.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        buf.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strs.length);
        typeWords.forEach(buf::putInt);
        buf.put(strs);
        return buf.array();
    }

    byte[] build() {
        return build(ByteOrder.LITTLE_ENDIAN);
    }
}
