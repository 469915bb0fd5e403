package io.vnettracer.sinks.events;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a raw events file back: maps it, checks the header, and positions one {@link EventView}
 * over each record in turn. Refuses a file of another layout version, and one whose last record
 * is cut short (a trace killed mid-write), saying so.
 */
public final class EventFileReader implements AutoCloseable {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment file;
    private final long records;

    public EventFileReader(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read the events file " + path + ": " + e.getMessage(), e);
        }
        try {
            if (file.byteSize() < EventFileFormat.HEADER_SIZE
                    || !Arrays.equals(file.asSlice(0, EventFileFormat.MAGIC.length).toArray(ValueLayout.JAVA_BYTE),
                    EventFileFormat.MAGIC)) {
                throw new IllegalArgumentException(path + " is not a vNetTracer events file (no VNTEVENT header)");
            }
            int version = Short.toUnsignedInt(file.get(U16, EventFileFormat.LAYOUT_VERSION));
            int size = Short.toUnsignedInt(file.get(U16, EventFileFormat.RECORD_SIZE));
            if (version != EventLayout.CURRENT_VERSION || size != EventLayout.SIZE) {
                throw new IllegalArgumentException(path + " holds events of layout version " + version + " (" + size
                        + " bytes); this build reads version " + EventLayout.CURRENT_VERSION + " (" + EventLayout.SIZE + " bytes)");
            }
            long body = file.byteSize() - EventFileFormat.HEADER_SIZE;
            if (body % EventLayout.SIZE != 0) {
                throw new IllegalArgumentException(path + " ends in the middle of a record (" + body % EventLayout.SIZE
                        + " stray bytes after " + body / EventLayout.SIZE + " records)");
            }
            records = body / EventLayout.SIZE;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public long records() {
        return records;
    }

    /** Hands each record to {@code action} through one reused view; returns how many. */
    public long forEach(Consumer<EventView> action) {
        EventView view = new EventView();
        for (long i = 0; i < records; i++) {
            action.accept(view.wrap(file, EventFileFormat.HEADER_SIZE + i * EventLayout.SIZE));
        }
        return records;
    }

    @Override
    public void close() {
        arena.close();
    }
}
