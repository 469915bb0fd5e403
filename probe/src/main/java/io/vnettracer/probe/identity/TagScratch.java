package io.vnettracer.probe.identity;

/**
 * The stack bytes a tag generator may use: {@value #SIZE} bytes from {@code base} (a negative,
 * 8-aligned offset from R10) upward. The caller keeps them free while the generated code runs;
 * afterwards they hold nothing it needs.
 *
 * @param base offset from the frame pointer of the lowest byte
 */
public record TagScratch(int base) {
    public static final int SIZE = 24;

    public TagScratch {
        if (base > -SIZE || base < -512 || (base & 7) != 0) {
            throw new IllegalArgumentException("tag scratch must be " + SIZE
                    + " bytes of stack at an 8-aligned offset in [-512, -" + SIZE + "], not " + base);
        }
    }

    /** u32 id, u32 ~id, in network order: the trailer as written or read. */
    int trailer() { return base; }
    /** u32: where the trailer goes (writer) or was found (reader), from the Ethernet header. */
    int trailerOffset() { return base + 8; }
    /** u16: the IP length field as the packet had it (network order). */
    int lengthField() { return base + 12; }
    /** u16: the IP length field to write (network order). */
    int newLengthField() { return base + 14; }
    /** u32: where the IP length field is, from the Ethernet header; tells IPv4 from IPv6. */
    int lengthFieldOffset() { return base + 16; }
    /** u32: the key of a counter to increment. */
    int counterKey() { return base + 20; }
}
