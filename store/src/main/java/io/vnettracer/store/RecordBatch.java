package io.vnettracer.store;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A preallocated run of records on their way from the drain thread to the store's writer thread:
 * raw events ({@link io.vnettracer.event.EventLayout}) or journeys ({@link JourneyRecords}).
 * Owned by one thread at a time; the hand-over queue orders the two.
 */
final class RecordBatch {
    enum Kind { EVENTS, JOURNEYS }

    final Kind kind;
    final ByteBuffer buffer;
    final MemorySegment segment;
    int records;

    RecordBatch(Kind kind, int bytes) {
        this.kind = kind;
        this.buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.segment = MemorySegment.ofArray(buffer.array());
    }

    void clear() {
        buffer.clear();
        records = 0;
    }
}
