package io.vnettracer.remote.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import io.vnettracer.remote.tls.NodeName;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.UUID;

/**
 * A collector's state directory: {@code trace.id} (the trace the agents hold) and one durable log
 * per node, {@code NODE.log} ({@link DurableLog}). A collector started again on it resumes.
 */
public record CollectorState(Path dir) {
    private static final FileAttribute<?> PRIVATE_DIRECTORY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> PRIVATE_FILE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** An existing directory is resumed; a new one is made 0700 (the logs hold packets). A link is not followed. */
    public CollectorState {
        if (Files.isSymbolicLink(dir)) {
            throw new IllegalArgumentException("--state " + dir + ": it is a symbolic link; name the directory itself");
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--state " + dir + ": it is not a directory");
        }
        try {
            Files.createDirectories(dir, PRIVATE_DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code NODE.log}; a link there is refused, not followed. */
    public Path log(String node) {
        Path log = dir.resolve(NodeName.require("node name", node) + ".log");
        if (Files.isSymbolicLink(log)) {
            throw new IllegalArgumentException(log + ": it is a symbolic link; the collector's state holds its own files only");
        }
        return log;
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
            Files.deleteIfExists(tmp);
            try (var out = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PRIVATE_FILE)) {
                out.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
            // rename(2) replaces whatever is at trace.id, a link included, without writing through it
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
