package io.vnettracer.bpf.map;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Converts a Java value to and from the bytes of a map key or value (little-endian, as the
 * kernel stores them on this machine).
 */
public interface Codec<T> {
    /** Bytes the value occupies. */
    int size();

    void write(T value, MemorySegment to);

    T read(MemorySegment from);

    ValueLayout.OfInt U32_LAYOUT = ValueLayout.JAVA_INT_UNALIGNED;
    ValueLayout.OfLong U64_LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED;

    /** A 32-bit unsigned integer, held in a Java int. */
    Codec<Integer> U32 = new Codec<>() {
        public int size() { return 4; }
        public void write(Integer v, MemorySegment to) { to.set(U32_LAYOUT, 0, v); }
        public Integer read(MemorySegment from) { return from.get(U32_LAYOUT, 0); }
    };

    /** A 64-bit unsigned integer, held in a Java long. */
    Codec<Long> U64 = new Codec<>() {
        public int size() { return 8; }
        public void write(Long v, MemorySegment to) { to.set(U64_LAYOUT, 0, v); }
        public Long read(MemorySegment from) { return from.get(U64_LAYOUT, 0); }
    };

    /** Raw bytes of a fixed length. */
    static Codec<byte[]> bytes(int length) {
        return new Codec<>() {
            public int size() { return length; }
            public void write(byte[] v, MemorySegment to) {
                if (v.length != length) {
                    throw new IllegalArgumentException("expected " + length + " bytes, got " + v.length);
                }
                MemorySegment.copy(v, 0, to, ValueLayout.JAVA_BYTE, 0, length);
            }
            public byte[] read(MemorySegment from) { return from.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE); }
        };
    }
}
