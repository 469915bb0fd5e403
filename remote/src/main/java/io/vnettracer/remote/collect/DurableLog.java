package io.vnettracer.remote.collect;

import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ProbeLoss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One node's batches, appended in sequence order and forced to disk before they are acknowledged.
 * Frames (little-endian): magic "VNTB", u32 length of what follows up to the checksum, u64 sequence,
 * u8 last, u64 undecodable, u32 n and n × (u32 probe id, u64 ring lost, u64 spool dropped),
 * u32 record bytes and the records, u32 CRC-32C of the frame from its magic. A torn or corrupt
 * tail (a collector killed mid-write) is cut off when the log is opened again.
 */
public final class DurableLog implements AutoCloseable {
    static final int MAGIC = 0x42544E56; // "VNTB" little-endian

    private final Path file;
    private final FileChannel channel;
    private long lastSequence;
    private boolean last;

    private DurableLog(Path file, FileChannel channel, long lastSequence, boolean last) {
        this.file = file;
        this.channel = channel;
        this.lastSequence = lastSequence;
        this.last = last;
    }

    /** Opens (or creates) the log, cutting off a torn tail. */
    public static DurableLog open(Path file) {
        try {
            long lastSequence = 0;
            boolean last = false;
            long validEnd;
            try (LogReader reader = new LogReader(file)) {
                for (LogFrame f = reader.next(); f != null; f = reader.next()) {
                    lastSequence = f.sequence();
                    last = f.last();
                }
                validEnd = reader.validEnd();
            }
            FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            if (validEnd < ch.size()) {
                ch.truncate(validEnd);
                ch.force(true);
            }
            ch.position(validEnd);
            return new DurableLog(file, ch, lastSequence, last);
        } catch (IOException e) {
            throw new UncheckedIOException("opening the log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The last sequence committed (0: none). */
    public long lastSequence() {
        return lastSequence;
    }

    /** Whether the trace's last batch is in. */
    public boolean complete() {
        return last;
    }

    /** Appends {@code batch} and forces it to disk; a batch already in (a resend) is skipped. */
    public void append(Batch batch) {
        if (batch.getSequence() <= lastSequence) {
            return;
        }
        if (batch.getSequence() != lastSequence + 1) {
            throw new IllegalStateException(file + ": batch " + batch.getSequence() + " after " + lastSequence
                    + ": the agent skipped batches");
        }
        int records = batch.getRecords().size();
        int body = 8 + 1 + 8 + 4 + batch.getLossesCount() * 20 + 4 + records;
        ByteBuffer b = ByteBuffer.allocate(8 + body + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(body).putLong(batch.getSequence()).put((byte) (batch.getLast() ? 1 : 0))
                .putLong(batch.getUndecodable()).putInt(batch.getLossesCount());
        for (ProbeLoss l : batch.getLossesList()) {
            b.putInt(l.getProbeId()).putLong(l.getRingLost()).putLong(l.getSpoolDropped());
        }
        b.putInt(records);
        batch.getRecords().copyTo(b);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.flip();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the log " + file + ": " + e.getMessage(), e);
        }
        lastSequence = batch.getSequence();
        last = batch.getLast();
    }

    /** Every complete frame of {@code file}, in order (all in memory: for tests and small logs). */
    public static List<LogFrame> read(Path file) {
        List<LogFrame> frames = new ArrayList<>();
        try (LogReader reader = new LogReader(file)) {
            for (LogFrame f = reader.next(); f != null; f = reader.next()) {
                frames.add(f);
            }
        }
        return frames;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the log " + file + ": " + e.getMessage(), e);
        }
    }
}
