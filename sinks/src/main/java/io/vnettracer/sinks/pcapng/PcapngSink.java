package io.vnettracer.sinks.pcapng;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.output.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes every record of a trace into a pcapng file as it comes: an interface per probe (named
 * after it, declared when its first record arrives), a packet per record with headers rebuilt by
 * {@link PacketHeaders}, the record's wall-clock time and the comment
 * {@code probe=NAME ts_ns=KERNEL_NS kind=packet|drop|... tag=0x... [reason=CODE]}.
 *
 * <p>Timestamps: a record's kernel time (CLOCK_MONOTONIC) plus the offset CLOCK_REALTIME −
 * CLOCK_MONOTONIC taken when the trace started; {@code ts_ns} in the comment keeps the kernel time
 * as the store and the events file have it.
 *
 * <p>Threads as {@link TraceSink} says: {@link #onEvent} encodes into a buffer without allocating
 * and writes the buffer to the file when it is nearly full, as the events file does. Records
 * without an IPv4 or IPv6 packet key cannot be rebuilt; they are counted and {@link #finish}
 * reports them, as it reports a failed write with the number of records it cost.
 */
public final class PcapngSink implements TraceSink {
    static final int BUFFER_BYTES = 1 << 20;
    /** Room one packet block needs at most: headers, a comment with a probe name cut to 200 bytes. */
    static final int MOST_BLOCK_BYTES = 1024;
    static final int MOST_NAME_BYTES = 200;
    private static final byte[] APPLICATION = "vNetTracer".getBytes(StandardCharsets.UTF_8);

    private final Path file;
    private final ProbeCatalog catalog;
    private final long wallOffsetNanos;
    private final FileChannel channel;
    private final ByteBuffer buffer = PcapngBlocks.buffer(BUFFER_BYTES);
    /** By catalog index: the interface id of the probe, -1 until declared. */
    private final int[] interfaceOf;
    private final byte[][] nameOf;
    private final int[] unknownInterfaceOf;
    private final byte[][] kindNames = new byte[8][];
    private int interfaces;
    private long written;
    private long unwritten;
    private long withoutIpKey;
    private IOException failure;

    /**
     * Creates (or truncates) {@code file} and writes the section header.
     *
     * @param wallOffsetNanos CLOCK_REALTIME − CLOCK_MONOTONIC at trace start ({@link io.vnettracer.sinks.WallClock})
     * @throws UncheckedIOException when the file cannot be created, saying which and why
     */
    public PcapngSink(Path file, ProbeCatalog catalog, long wallOffsetNanos) {
        this(OutputFile.replacing(file), catalog, wallOffsetNanos);
    }

    /** Into {@code output} as {@link OutputFile} creates it (new, 0600). */
    public PcapngSink(OutputFile output, ProbeCatalog catalog, long wallOffsetNanos) {
        Path file = output.path();
        this.file = file;
        this.catalog = catalog;
        this.wallOffsetNanos = wallOffsetNanos;
        this.interfaceOf = new int[catalog.capacity()];
        this.nameOf = new byte[catalog.capacity()][];
        this.unknownInterfaceOf = new int[catalog.capacity()];
        Arrays.fill(interfaceOf, -1);
        Arrays.fill(unknownInterfaceOf, -1);
        for (EventKind kind : EventKind.values()) {
            kindNames[kind.code()] = kind.name().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        channel = output.open();
        PcapngBlocks.sectionHeader(buffer, APPLICATION);
    }

    @Override
    public void onEvent(EventView event) {
        if (!PacketHeaders.writable(event)) {
            withoutIpKey++;
            return;
        }
        if (failure != null) {
            unwritten++;
            return;
        }
        if (buffer.remaining() < 2 * MOST_BLOCK_BYTES) {
            flush();
            if (failure != null) {
                unwritten++;
                return;
            }
        }
        int interfaceId = interfaceFor(event.probeId());
        long ts = event.timestamp();
        int start = PcapngBlocks.beginPacket(buffer, interfaceId, ts + wallOffsetNanos, 0);
        int length = PacketHeaders.write(event, buffer);
        buffer.putInt(start + 24, length);
        PcapngBlocks.endPacketData(buffer, start);
        comment(event, ts);
        PcapngBlocks.endBlock(buffer, start);
        written++;
    }

    private void comment(EventView event, long ts) {
        int lengthAt = PcapngBlocks.beginOption(buffer, PcapngBlocks.OPT_COMMENT);
        buffer.put(PROBE).put(nameOf(event.probeId()));
        buffer.put(TS);
        Ascii.decimal(buffer, ts);
        buffer.put(KIND);
        int kind = event.kindCode();
        if (kind < kindNames.length && kindNames[kind] != null) {
            buffer.put(kindNames[kind]);
        } else {
            Ascii.decimal(buffer, kind);
        }
        buffer.put(TAG);
        Ascii.hex32(buffer, event.tag());
        if (kind == EventKind.DROP.code()) {
            buffer.put(REASON);
            Ascii.decimal(buffer, event.extra());
        }
        PcapngBlocks.endOption(buffer, lengthAt);
    }

    private static final byte[] PROBE = ascii("probe=");
    private static final byte[] TS = ascii(" ts_ns=");
    private static final byte[] KIND = ascii(" kind=");
    private static final byte[] TAG = ascii(" tag=");
    private static final byte[] REASON = ascii(" reason=");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The probe's interface, declared (one allocation per probe) on its first record. */
    private int interfaceFor(int probeId) {
        int index = catalog.indexOf(probeId);
        if (index >= 0) {
            if (interfaceOf[index] < 0) {
                ProbeCatalog.Probe p = catalog.get(index);
                interfaceOf[index] = declare(p.name(), p.spec());
            }
            return interfaceOf[index];
        }
        int slot = Math.floorMod(probeId, unknownInterfaceOf.length);
        if (unknownInterfaceOf[slot] < 0) {
            unknownInterfaceOf[slot] = declare("probe#" + probeId, "a probe the trace did not name");
        }
        return unknownInterfaceOf[slot];
    }

    private byte[] nameOf(int probeId) {
        int index = catalog.indexOf(probeId);
        if (index < 0) {
            return UNKNOWN;
        }
        if (nameOf[index] == null) {
            nameOf[index] = cut(catalog.get(index).name());
        }
        return nameOf[index];
    }

    private static final byte[] UNKNOWN = ascii("?");

    private int declare(String name, String description) {
        PcapngBlocks.interfaceDescription(buffer, cut(name), cut(description));
        return interfaces++;
    }

    private static byte[] cut(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MOST_NAME_BYTES ? bytes : Arrays.copyOf(bytes, MOST_NAME_BYTES);
    }

    private void flush() {
        if (failure != null) {
            return;
        }
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            failure = e;
        }
        buffer.clear();
    }

    /** Packets written (buffered or in the file). */
    public long written() {
        return written;
    }

    /** Records left out: no IPv4/IPv6 key. */
    public long withoutIpKey() {
        return withoutIpKey;
    }

    @Override
    public void finish(Summary summary) {
        flush();
        if (failure != null) {
            throw new UncheckedIOException("writing " + file + " failed; " + unwritten
                    + " records after the failure are not in it: " + failure.getMessage(), failure);
        }
        if (withoutIpKey > 0) {
            throw new IllegalStateException(withoutIpKey + " of " + (written + withoutIpKey)
                    + " records had no IPv4/IPv6 packet key and are not in " + file);
        }
    }

    @Override
    public String describe() {
        return "pcapng " + file;
    }

    @Override
    public void close() {
        flush();
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
