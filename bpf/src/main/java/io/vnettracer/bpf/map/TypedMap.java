package io.vnettracer.bpf.map;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/** A map's elements as Java values. Convenient, and allocating: not for hot paths. */
public final class TypedMap<K, V> {
    private final BpfMap map;
    private final Codec<K> keys;
    private final Codec<V> values;

    TypedMap(BpfMap map, Codec<K> keys, Codec<V> values) {
        if (keys.size() != map.spec().keySize()) {
            throw new IllegalArgumentException("map '" + map.name() + "' has " + map.spec().keySize()
                    + "-byte keys; the key codec writes " + keys.size());
        }
        if (values.size() != map.userValueSize()) {
            throw new IllegalArgumentException("map '" + map.name() + "' has " + map.userValueSize()
                    + "-byte values (as user space sees them); the value codec writes " + values.size());
        }
        this.map = map;
        this.keys = keys;
        this.values = values;
    }

    /** The value of {@code key}, or null. */
    public V get(K key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(keys.size(), 8);
            MemorySegment v = arena.allocate(values.size(), 8);
            keys.write(key, k);
            return map.lookup(k, v) ? values.read(v) : null;
        }
    }

    public void put(K key, V value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(keys.size(), 8);
            MemorySegment v = arena.allocate(values.size(), 8);
            keys.write(key, k);
            values.write(value, v);
            map.update(k, v, BpfMap.BPF_ANY);
        }
    }

    /** Removes {@code key}; false if absent (array maps cannot delete and say so by exception). */
    public boolean remove(K key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(keys.size(), 8);
            keys.write(key, k);
            return map.delete(k);
        }
    }

    /** Every element, in the kernel's iteration order. */
    public Map<K, V> entries() {
        Map<K, V> out = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(keys.size(), 8);
            MemorySegment v = arena.allocate(values.size(), 8);
            for (byte[] raw : map.keys()) {
                MemorySegment.copy(raw, 0, k, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, raw.length);
                if (map.lookup(k, v)) {
                    out.put(keys.read(k), values.read(v));
                }
            }
        }
        return out;
    }
}
