package io.vnettracer.bpf.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Names of maps and programs as bpf(2) accepts them (BPF_OBJ_NAME_LEN in include/uapi/linux/bpf.h):
 * at most 15 characters of [A-Za-z0-9_.] and a NUL. Others become '_' rather than a refused load.
 */
public final class ObjectName {
    public static final int BPF_OBJ_NAME_LEN = 16;

    private ObjectName() {}

    public static void write(MemorySegment attr, long offset, String name) {
        int n = 0;
        for (int i = 0; i < name.length() && n < BPF_OBJ_NAME_LEN - 1; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            attr.set(ValueLayout.JAVA_BYTE, offset + n++, (byte) (ok ? c : '_'));
        }
    }
}
