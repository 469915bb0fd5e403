package io.vnettracer.store;

import io.vnettracer.sinks.output.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where DuckDB writes a store until it is closed: a new directory of mode 0700 beside the store's
 * path. DuckDB creates its files (the database, its write-ahead log) by name, following links and
 * with the process's umask; in a directory nobody else can enter, no link can be planted there and
 * no one can read the packets while they come. {@link #publish()} renames the closed database to
 * the store's path (0600). A trace killed before that leaves it in {@link #directory()}.
 */
final class StagedFile {
    private final OutputFile target;
    private final Path directory;

    private StagedFile(OutputFile target, Path directory) {
        this.target = target;
        this.directory = directory;
    }

    /** Checks {@code target} and makes the private directory beside it. */
    static StagedFile beside(OutputFile target) {
        target.check();
        Path parent = target.path().toAbsolutePath().getParent();
        try {
            Path dir = Files.createTempDirectory(parent, "." + target.path().getFileName() + ".writing-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new StagedFile(target, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(target.name() + ": cannot make a directory beside it: " + e.getMessage(), e);
        }
    }

    /** The file DuckDB opens. */
    Path file() {
        return directory.resolve(target.path().getFileName());
    }

    Path directory() {
        return directory;
    }

    /** Moves the closed database to the store's path and removes the directory. */
    void publish() {
        Path wal = Path.of(file() + ".wal");
        if (Files.exists(wal)) {
            throw new UncheckedIOException(target.name() + ": DuckDB left a write-ahead log; the store is in " + directory,
                    new IOException("unexpected " + wal));
        }
        target.moveHere(file());
        discard();
    }

    /** Removes the directory and whatever DuckDB left in it. */
    void discard() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory + ": " + e.getMessage(), e);
        }
    }
}
