package io.vnettracer.sinks.events;

import java.nio.charset.StandardCharsets;

/**
 * The raw events file ({@code vnettracer trace --events FILE}, docs/EVENTS_FILE.md): a
 * {@value #HEADER_SIZE}-byte header, then the probes' records back to back, exactly as they came
 * out of the ring buffer ({@link io.vnettracer.event.EventLayout}). Little-endian.
 */
public final class EventFileFormat {
    /** 8 bytes at offset 0: {@code VNTEVENT} in ASCII. */
    public static final byte[] MAGIC = "VNTEVENT".getBytes(StandardCharsets.US_ASCII);
    /** u16 at offset 8: the {@link io.vnettracer.event.EventLayout#CURRENT_VERSION} of every record. */
    public static final int LAYOUT_VERSION = 8;
    /** u16 at offset 10: the size of one record, {@link io.vnettracer.event.EventLayout#SIZE}. */
    public static final int RECORD_SIZE = 10;
    /** u32 at offset 12: zero; for flags of later versions. */
    public static final int RESERVED = 12;
    public static final int HEADER_SIZE = 16;

    private EventFileFormat() {}
}
