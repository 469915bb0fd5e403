package io.vnettracer.sinks.events;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.sinks.output.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Appends events to a raw events file through a buffer of {@link #BUFFER_BYTES}: a record costs a
 * 104-byte copy, and the thread that writes (the session's drain thread) meets the disk once per
 * about ten thousand records, in one channel write that usually lands in the page cache.
 *
 * <p>A failed write does not throw into the caller's hot path: the writer stops, counts what it
 * could not write, and {@link #close()} reports the failure. Not safe for concurrent use.
 */
public final class EventFileWriter implements AutoCloseable {
    static final int BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES - BUFFER_BYTES % EventLayout.SIZE)
            .order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
    private long written;
    private long unwritten;
    private IOException failure;

    /** Creates (or replaces) {@code file} and writes the header. */
    public EventFileWriter(Path file) {
        this(OutputFile.replacing(file));
    }

    /** Creates {@code output} as {@link OutputFile} does (new, 0600) and writes the header. */
    public EventFileWriter(OutputFile output) {
        this.file = output.path();
        channel = output.open();
        try {
            ByteBuffer header = ByteBuffer.allocate(EventFileFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            header.put(EventFileFormat.MAGIC)
                    .putShort((short) EventLayout.CURRENT_VERSION)
                    .putShort((short) EventLayout.SIZE)
                    .putInt(0)
                    .flip();
            while (header.hasRemaining()) {
                channel.write(header);
            }
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the header's failure is the one to report
            }
            throw new UncheckedIOException("cannot create the events file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends the record under {@code event} as it is. Allocation-free.
     *
     * @throws UncheckedIOException when writing the buffer fails (a full disk), once: the trace
     *         ends on it; records written after are counted in {@link #unwritten()}
     */
    public void write(EventView event) {
        if (failure != null) {
            unwritten++;
            return;
        }
        if (buffer.remaining() < EventLayout.SIZE) {
            flush();
            if (failure != null) {
                unwritten++;
                throw new UncheckedIOException("writing the events file " + file + ": " + failure.getMessage(), failure);
            }
        }
        event.copyTo(bufferSegment, buffer.position());
        buffer.position(buffer.position() + EventLayout.SIZE);
        written++;
    }

    /** Writes what is buffered. */
    public void flush() {
        if (failure != null) {
            return;
        }
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        } catch (IOException e) {
            failure = e;
            unwritten += buffer.remaining() / EventLayout.SIZE;
            written -= buffer.remaining() / EventLayout.SIZE;
            buffer.clear();
        }
    }

    /** Records accepted so far (buffered or on disk). */
    public long written() {
        return written;
    }

    /** Records lost to a write failure. */
    public long unwritten() {
        return unwritten;
    }

    /** Flushes and closes; throws if any write failed, saying how many records are missing. */
    @Override
    public void close() {
        flush();
        try {
            channel.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("writing the events file " + file + " failed (" + unwritten
                    + " events not written): " + failure.getMessage(), failure);
        }
    }
}
