package io.vnettracer.kafka;

import io.vnettracer.event.EventLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The value of one record on the events topic, little-endian:
 * <pre>
 *   header  magic u32 "VNTK" · format u8 (1) · kind u8 (1 events, 2 end of trace) · reserved u16
 *           · node id u32 · entry count u32                                       (16 bytes)
 *   entries count × (node id u32 · the 104-byte EventLayout record as the probe wrote it)
 * </pre>
 * An end-of-trace record has no entries: its node has written everything it will to that partition.
 */
public final class BatchFormat {
    public static final int MAGIC = 0x4B544E56; // "VNTK" read little-endian
    public static final int FORMAT = 1;
    public static final int KIND_EVENTS = 1;
    public static final int KIND_END = 2;
    public static final int HEADER = 16;
    public static final int ENTRY = 4 + EventLayout.SIZE;

    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private static final int OFF_MAGIC = 0;
    private static final int OFF_FORMAT = 4;
    private static final int OFF_KIND = 5;
    private static final int OFF_NODE = 8;
    private static final int OFF_COUNT = 12;

    private BatchFormat() {}

    static void writeHeader(MemorySegment batch, int kind, int nodeId, int count) {
        batch.set(INT_LE, OFF_MAGIC, MAGIC);
        batch.set(BYTE, OFF_FORMAT, (byte) FORMAT);
        batch.set(BYTE, OFF_KIND, (byte) kind);
        batch.set(BYTE, OFF_KIND + 1, (byte) 0);
        batch.set(BYTE, OFF_KIND + 2, (byte) 0);
        batch.set(INT_LE, OFF_NODE, nodeId);
        batch.set(INT_LE, OFF_COUNT, count);
    }

    /** An end-of-trace record for {@code nodeId}. */
    static byte[] endOfTrace(int nodeId) {
        byte[] value = new byte[HEADER];
        writeHeader(MemorySegment.ofArray(value), KIND_END, nodeId, 0);
        return value;
    }

    /**
     * Checks a record's value and returns its kind; throws {@link IllegalArgumentException} saying
     * what is wrong with it.
     */
    static int check(MemorySegment batch) {
        if (batch.byteSize() < HEADER) {
            throw new IllegalArgumentException("value of " + batch.byteSize() + " bytes is shorter than the " + HEADER + "-byte header");
        }
        if (batch.get(INT_LE, OFF_MAGIC) != MAGIC) {
            throw new IllegalArgumentException("not a vNetTracer batch (magic " + Integer.toHexString(batch.get(INT_LE, OFF_MAGIC)) + ")");
        }
        int format = Byte.toUnsignedInt(batch.get(BYTE, OFF_FORMAT));
        if (format != FORMAT) {
            throw new IllegalArgumentException("batch format " + format + ", this build reads " + FORMAT);
        }
        int kind = kind(batch);
        if (kind != KIND_EVENTS && kind != KIND_END) {
            throw new IllegalArgumentException("unknown batch kind " + kind);
        }
        long expected = HEADER + (long) count(batch) * ENTRY;
        if (count(batch) < 0 || expected != batch.byteSize()) {
            throw new IllegalArgumentException("batch of " + batch.byteSize() + " bytes says " + count(batch) + " entries ("
                    + expected + " bytes)");
        }
        return kind;
    }

    static int kind(MemorySegment batch) {
        return Byte.toUnsignedInt(batch.get(BYTE, OFF_KIND));
    }

    static int nodeId(MemorySegment batch) {
        return batch.get(INT_LE, OFF_NODE);
    }

    static int count(MemorySegment batch) {
        return batch.get(INT_LE, OFF_COUNT);
    }

    static long entryOffset(int index) {
        return HEADER + (long) index * ENTRY;
    }
}
