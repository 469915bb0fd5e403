package io.vnettracer.bpf.ringbuf;

import java.lang.foreign.MemorySegment;

/**
 * Receives records in place. {@code buffer} is the ring's whole data area; the record is
 * {@code length} bytes at {@code offset}. Valid only during the call.
 */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(MemorySegment buffer, long offset, int length);
}
