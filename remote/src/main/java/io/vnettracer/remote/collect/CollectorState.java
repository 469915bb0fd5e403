package io.vnettracer.remote.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A collector's state directory: {@code trace.id} (the trace the agents hold) and one durable log
 * per node, {@code NODE.log} ({@link DurableLog}). A collector started again on it resumes.
 */
public record CollectorState(Path dir) {
    public CollectorState {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path log(String node) {
        return dir.resolve(node + ".log");
    }

    /** The trace this directory belongs to, or null for a new directory. */
    public String traceId() {
        Path f = dir.resolve("trace.id");
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.US_ASCII).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
        }
    }

    /** A new trace id, written before any agent is started. */
    String newTraceId() {
        String id = UUID.randomUUID().toString();
        Path f = dir.resolve("trace.id");
        Path tmp = dir.resolve("trace.id.tmp");
        try {
            Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + f + ": " + e.getMessage(), e);
        }
        return id;
    }

    /** A trace that never started leaves nothing behind. */
    void forget() {
        try {
            Files.deleteIfExists(dir.resolve("trace.id"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
