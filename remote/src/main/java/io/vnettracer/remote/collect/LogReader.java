package io.vnettracer.remote.collect;

import io.vnettracer.probe.program.ProbeMaps;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a {@link DurableLog} frame by frame, holding one frame in memory: a log can be larger
 * than the heap. Stops at the end or at the first torn or corrupt frame.
 */
final class LogReader implements AutoCloseable {
    private static final int HEADER = 8;

    private final Path file;
    private final InputStream in;
    private long validEnd;

    LogReader(Path file) {
        this.file = file;
        try {
            this.in = Files.exists(file) ? new BufferedInputStream(Files.newInputStream(file), 1 << 20) : InputStream.nullInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The next whole frame, or null at the end (or at a torn tail). */
    LogFrame next() {
        try {
            byte[] header = in.readNBytes(HEADER);
            if (header.length < HEADER) {
                return null;
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int body = h.getInt(4);
            if (h.getInt(0) != DurableLog.MAGIC || body < 0) {
                return null;
            }
            byte[] rest = in.readNBytes(body + 4);
            if (rest.length < body + 4) {
                return null;
            }
            CRC32C crc = new CRC32C();
            crc.update(header);
            crc.update(rest, 0, body);
            ByteBuffer b = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(body) != (int) crc.getValue()) {
                return null;
            }
            long seq = b.getLong();
            boolean last = b.get() != 0;
            long undecodable = b.getLong();
            int n = b.getInt();
            long[] ring = new long[ProbeMaps.MAX_PROBES];
            long[] spool = new long[ProbeMaps.MAX_PROBES];
            for (int i = 0; i < n; i++) {
                int id = b.getInt();
                long r = b.getLong();
                long s = b.getLong();
                if (id >= 0 && id < ring.length) {
                    ring[id] = r;
                    spool[id] = s;
                }
            }
            byte[] records = new byte[b.getInt()];
            b.get(records);
            validEnd += HEADER + body + 4L;
            return new LogFrame(seq, last, undecodable, ring, spool, records);
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            return null; // a frame whose fields do not add up: corrupt, like a bad checksum
        }
    }

    /** The end of the last whole frame read. */
    long validEnd() {
        return validEnd;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
