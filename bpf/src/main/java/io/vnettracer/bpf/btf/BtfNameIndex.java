package io.vnettracer.bpf.btf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Type name to type ids, for one type section. An open hash table over the name bytes in the
 * string section: building it creates no per-type objects, which keeps parsing vmlinux (about
 * 150,000 types) fast.
 */
final class BtfNameIndex {
    /** Bucket heads: 1 + index of the last type added to the bucket, 0 if empty. */
    private final int[] heads;
    /** Per type: 1 + index of the next type in its bucket, 0 at the end. */
    private final int[] next;
    private final BtfTypeSection types;

    private BtfNameIndex(int[] heads, int[] next, BtfTypeSection types) {
        this.heads = heads;
        this.next = next;
        this.types = types;
    }

    static BtfNameIndex build(BtfTypeSection types) {
        int count = types.count();
        int[] heads = new int[Math.max(16, Integer.highestOneBit(Math.max(1, count)) << 1)];
        int[] next = new int[count];
        int mask = heads.length - 1;
        BtfStrings strings = types.strings();
        int firstId = types.firstId();
        // Backwards, so that each bucket lists lower ids first.
        for (int i = count - 1; i >= 0; i--) {
            int nameOffset = types.nameOffset(firstId + i);
            if (nameOffset != 0) {
                int bucket = spread(strings.hash(nameOffset)) & mask;
                next[i] = heads[bucket];
                heads[bucket] = i + 1;
            }
        }
        return new BtfNameIndex(heads, next, types);
    }

    /** The ids of types named {@code name}, of kind {@code kind} (or any kind if null), in ascending order. */
    int[] ids(String name, BtfKind kind) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int[] found = new int[4];
        int count = 0;
        int firstId = types.firstId();
        BtfStrings strings = types.strings();
        for (int i = heads[spread(BtfStrings.hash(bytes)) & (heads.length - 1)]; i != 0; i = next[i - 1]) {
            int id = firstId + i - 1;
            if ((kind == null || types.kindNumber(id) == kind.number())
                    && strings.matches(types.nameOffset(id), bytes)) {
                if (count == found.length) {
                    found = Arrays.copyOf(found, count * 2);
                }
                found[count++] = id;
            }
        }
        return Arrays.copyOf(found, count);
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
