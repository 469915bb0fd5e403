package io.vnettracer.bpf.map;

import java.util.Objects;

/**
 * What map to create. For a ring buffer, key and value sizes are 0 and maxEntries is its size in
 * bytes (a power of two, a multiple of the page size).
 *
 * @param flags BPF_F_* map flags (e.g. {@link #NO_PREALLOC})
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {
    /** BPF_F_NO_PREALLOC from include/uapi/linux/bpf.h, required by LPM tries. */
    public static final int NO_PREALLOC = 1;

    public MapSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("map '" + name + "' needs at least one entry, not " + maxEntries);
        }
    }

    public static MapSpec array(String name, int valueSize, int entries) {
        return new MapSpec(name, MapType.ARRAY, 4, valueSize, entries, 0);
    }

    public static MapSpec perCpuArray(String name, int valueSize, int entries) {
        return new MapSpec(name, MapType.PERCPU_ARRAY, 4, valueSize, entries, 0);
    }

    public static MapSpec hash(String name, int keySize, int valueSize, int entries) {
        return new MapSpec(name, MapType.HASH, keySize, valueSize, entries, 0);
    }

    public static MapSpec lruHash(String name, int keySize, int valueSize, int entries) {
        return new MapSpec(name, MapType.LRU_HASH, keySize, valueSize, entries, 0);
    }

    /** Programs for tail calls (bpf_tail_call), by u32 slot; the value user space writes is a program fd. */
    public static MapSpec programArray(String name, int slots) {
        return new MapSpec(name, MapType.PROG_ARRAY, 4, 4, slots, 0);
    }

    public static MapSpec ringBuffer(String name, int sizeBytes) {
        if (Integer.bitCount(sizeBytes) != 1) {
            throw new IllegalArgumentException("ring buffer '" + name + "' size must be a power of two, not " + sizeBytes);
        }
        return new MapSpec(name, MapType.RINGBUF, 0, 0, sizeBytes, 0);
    }
}
