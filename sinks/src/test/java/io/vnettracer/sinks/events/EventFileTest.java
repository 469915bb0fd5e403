package io.vnettracer.sinks.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileTest {
    /** More records than one buffer holds, so the writer flushes in the middle. */
    private static final int RECORDS = EventFileWriter.BUFFER_BYTES / EventLayout.SIZE * 2 + 17;

    private static MemorySegment events(Arena arena, int n) {
        MemorySegment all = arena.allocate((long) n * EventLayout.SIZE);
        EventWriter w = new EventWriter();
        for (int i = 0; i < n; i++) {
            w.wrap(all, (long) i * EventLayout.SIZE).kind(i % 7 == 0 ? EventKind.DROP : EventKind.PACKET)
                    .idMode(IdMode.FINGERPRINT).probeId(i % 5).timestamp(1_000_000L + i).ipv4(0x0a000001, 0x0a000002, 17, 5000, i & 0xffff)
                    .ipLength(28 + i % 100).extra(i);
        }
        return all;
    }

    @Test
    void recordsRoundTripByteForByteBehindTheHeader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.bin");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = events(arena, RECORDS);
            EventView view = new EventView();
            try (EventFileWriter writer = new EventFileWriter(file)) {
                for (int i = 0; i < RECORDS; i++) {
                    writer.write(view.wrap(source, (long) i * EventLayout.SIZE));
                }
                assertEquals(RECORDS, writer.written());
            }
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(EventFileFormat.HEADER_SIZE + (long) RECORDS * EventLayout.SIZE, bytes.length);
            ByteBuffer header = ByteBuffer.wrap(bytes, 0, EventFileFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[8];
            header.get(magic);
            assertEquals("VNTEVENT", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(EventLayout.CURRENT_VERSION, header.getShort());
            assertEquals(EventLayout.SIZE, header.getShort());
            assertEquals(0, header.getInt());
            byte[] body = java.util.Arrays.copyOfRange(bytes, EventFileFormat.HEADER_SIZE, bytes.length);
            assertArrayEquals(source.toArray(ValueLayout.JAVA_BYTE), body);

            List<Long> timestamps = new ArrayList<>();
            long[] drops = new long[1];
            try (EventFileReader reader = new EventFileReader(file)) {
                assertEquals(RECORDS, reader.records());
                reader.forEach(e -> {
                    timestamps.add(e.timestamp());
                    if (e.kind() == EventKind.DROP) drops[0]++;
                });
            }
            assertEquals(RECORDS, timestamps.size());
            assertEquals(1_000_000L + RECORDS - 1, timestamps.getLast());
            assertEquals((RECORDS + 6) / 7, drops[0]);
        }
    }

    @Test
    void aCutShortFileIsRefusedWithTheCount(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.bin");
        try (Arena arena = Arena.ofConfined(); EventFileWriter writer = new EventFileWriter(file)) {
            MemorySegment source = events(arena, 3);
            EventView view = new EventView();
            for (int i = 0; i < 3; i++) writer.write(view.wrap(source, (long) i * EventLayout.SIZE));
        }
        Files.write(file, new byte[10], StandardOpenOption.APPEND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EventFileReader(file));
        assertTrue(e.getMessage().contains("10 stray bytes after 3 records"), e.getMessage());
    }

    @Test
    void otherFilesAndOtherVersionsAreRefused(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.bin");
        Files.writeString(other, "hello, this is not it");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventFileReader(other))
                .getMessage().contains("not a vNetTracer events file"));

        Path newer = dir.resolve("newer.bin");
        new EventFileWriter(newer).close();
        byte[] bytes = Files.readAllBytes(newer);
        bytes[EventFileFormat.LAYOUT_VERSION] = 9;
        Files.write(newer, bytes);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventFileReader(newer))
                .getMessage().contains("layout version 9"));
    }
}
