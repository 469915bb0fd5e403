package io.vnettracer.sinks.pcapng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocks against bytes worked out apart from this code (by the pcapng draft's layouts and
 * RFC 1071 checksums): a section header, an interface and a packet whose UDP datagram is short
 * enough for the key to hold all of it, so both checksums are real.
 */
class PcapngBlocksTest {
    static final String SECTION_HEADER = "0a0d0d0a30000000" + "4d3c2b1a01000000ffffffffffffffff"
            + "04000a00" + "764e657454726163657200" + "00" + "00000000" + "30000000";
    static final String INTERFACE = "0100000038000000" + "6500000000000000"
            + "02000500615f6f7574000000" + "030005006465763a78000000" + "0900010009000000" + "00000000" + "38000000";
    static final String IPV4_UDP = "4500002012340000401154970a0000010a000002" + "13881770000c233e" + "deadbeef";
    static final String PACKET = "060000007c000000" + "00000000" + "fe9c9717" + "15cd853d" + "20000000" + "20000000"
            + IPV4_UDP + "0100" + "3100" + "70726f62653d615f6f75742074735f6e733d31303030206b696e643d7061636b6574207461673d30783030303030303030"
            + "000000" + "00000000" + "7c000000";
    static final long WALL = 1_700_000_000_123_456_789L;

    @Test
    void aSectionAnInterfaceAndAPacketAreTheBytesOfTheFormat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.pcapng");
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "a_out", "dev:x");
        try (PcapngSink sink = new PcapngSink(file, catalog, WALL - 1000)) {
            sink.onEvent(udpEvent(0, 1000, 32));
            sink.finish(null);
        }
        assertEquals(SECTION_HEADER + INTERFACE + PACKET, HexFormat.of().formatHex(Files.readAllBytes(file)));
    }

    @Test
    void headersOfALongerDatagramKeepEightPayloadBytesAndTheSeenLength() {
        ByteBuffer out = PcapngBlocks.buffer(256);
        int length = PacketHeaders.write(udpEvent(0, 1, 1000), out);
        assertEquals(1000, length);
        assertEquals(20 + 8 + 8, out.position());
        // UDP length 980, checksum 0 ("none"): the payload is not all there
        assertEquals("03d40000", HexFormat.of().formatHex(bytes(out, 24, 4)));
        assertEquals("deadbeef00000000", HexFormat.of().formatHex(bytes(out, 28, 8)));
    }

    @Test
    void aTcpHeaderCarriesTheKeysSequenceAckAndFlags() {
        MemorySegment record = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        new EventWriter().wrap(record, 0).kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT)
                .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_TCP, 40000, 80)
                .ipLength(60).tcpFlags(0x12).l4Data(0x0102030405060708L);
        ByteBuffer out = PcapngBlocks.buffer(256);
        assertEquals(60, PacketHeaders.write(new EventView().wrap(record, 0), out));
        assertEquals("9c400050" + "01020304" + "05060708" + "5012ffff" + "00000000",
                HexFormat.of().formatHex(bytes(out, 20, 20)));
    }

    @Test
    void writingARecordAllocatesNothing(@TempDir Path dir) {
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "a_out", "dev:x");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        try (PcapngSink sink = new PcapngSink(dir.resolve("t.pcapng"), catalog, 0)) {
            EventView event = udpEvent(0, 1000, 300);
            for (int i = 0; i < 50_000; i++) {
                sink.onEvent(event);
            }
            long before = bean.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 50_000; i++) {
                sink.onEvent(event);
            }
            long allocated = bean.getThreadAllocatedBytes(thread) - before;
            // Encoding allocates nothing; the file channel's write, once per ~8000 records here, may
            // allocate a few hundred bytes of its own bookkeeping now and then (seen: 0 or 264 bytes).
            assertTrue(allocated < 1024, allocated + " bytes allocated by 50000 records");
            sink.finish(null);
        }
    }

    @Test
    void decimalsAreWrittenWithoutStrings() {
        ByteBuffer out = ByteBuffer.allocate(64);
        Ascii.decimal(out, 0);
        out.put((byte) ' ');
        Ascii.decimal(out, -42);
        out.put((byte) ' ');
        Ascii.decimal(out, Long.MIN_VALUE);
        assertEquals("0 -42 -9223372036854775808", new String(bytes(out, 0, out.position()), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void recordsWithoutAnIpKeyAreCountedAndReported(@TempDir Path dir) {
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "rx", "dev:x");
        PcapngSink sink = new PcapngSink(dir.resolve("t.pcapng"), catalog, 0);
        MemorySegment record = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        new EventWriter().wrap(record, 0).kind(EventKind.PACKET);
        sink.onEvent(new EventView().wrap(record, 0));
        sink.onEvent(udpEvent(0, 5, 40));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.finish(null));
        assertEquals("1 of 2 records had no IPv4/IPv6 packet key and are not in " + dir.resolve("t.pcapng"), e.getMessage());
        sink.close();
    }

    @Test
    void aFileThatCannotBeCreatedIsAClearError(@TempDir Path dir) {
        Path file = dir.resolve("missing/t.pcapng");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> new PcapngSink(file, new ProbeCatalog(), 0));
        assertEquals(file + ": the directory " + dir.resolve("missing") + " does not exist; create it first", e.getMessage());
    }

    static EventView udpEvent(int probe, long ts, int ipLength) {
        MemorySegment record = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        new EventWriter().wrap(record, 0).kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT).probeId(probe).timestamp(ts)
                .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000, 6000)
                .ipId(0x1234).ipLength(ipLength).l4Data(0xdeadbeef00000000L);
        return new EventView().wrap(record, 0);
    }

    private static byte[] bytes(ByteBuffer buffer, int from, int length) {
        byte[] b = new byte[length];
        buffer.get(from, b);
        return b;
    }
}
