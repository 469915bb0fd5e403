package io.vnettracer.sinks.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file a command writes, named by an option ({@code --json FILE}). The one place that decides
 * what may be written where (docs/RELIABILITY.md, "Files and outputs"):
 * <ul>
 *   <li>{@link #check()} before the command starts anything: the directory exists and is writable;
 *       an existing regular file only with {@code --force}; never a symbolic link, a directory, a
 *       block device or a socket.</li>
 *   <li>{@link #open()} creates the file new (O_CREAT|O_EXCL|O_NOFOLLOW) with its mode set at
 *       creation, 0600 unless {@link #readableByAll()}: traces hold addresses, ports and packet
 *       bytes. With {@code --force} an existing regular file is unlinked first (the path itself,
 *       never a link's target), then created new.</li>
 *   <li>Character devices and FIFOs ({@code /dev/null}, {@code /dev/full}, a pipe) and the standard
 *       streams by name ({@code /dev/stdout}, {@code /dev/stderr}, {@code /dev/fd/N}) are written as
 *       they are, appended to, without {@code --force}: users write {@code --json /dev/stdout}.</li>
 * </ul>
 * Directories above the file are resolved as usual: only the file's own name is never followed.
 */
public final class OutputFile {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Pattern STANDARD_STREAM = Pattern.compile("/dev/(stdout|stderr|fd/\\d+)|/proc/self/fd/\\d+");
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    /** What writing the path will do. */
    public enum Target { NEW, REPLACE, AS_IS }

    private final String option;
    private final Path path;
    private final boolean force;
    private final Set<PosixFilePermission> mode;
    private final boolean regularOnly;
    /** Set by {@link #open()} when it created the file (not for a device): only such a file is {@link #deleteIfCreated() deleted}. */
    private boolean created;

    private OutputFile(String option, Path path, boolean force, Set<PosixFilePermission> mode, boolean regularOnly) {
        this.option = option;
        this.path = path;
        this.force = force;
        this.mode = mode;
        this.regularOnly = regularOnly;
    }

    /** The file of {@code option} (e.g. "--json"); an existing file is replaced only when {@code force}. */
    public static OutputFile of(String option, Path path, boolean force) {
        return new OutputFile(option, path, force, PRIVATE, false);
    }

    /** A file a program (not a user's option) writes again and again, e.g. the demo's outputs: replaced when it exists. */
    public static OutputFile replacing(Path path) {
        return new OutputFile(null, path, true, PRIVATE, false);
    }

    /** A file that must not exist yet. */
    public static OutputFile newOnly(Path path) {
        return new OutputFile(null, path, false, PRIVATE, false);
    }

    /** Mode 0644 instead of 0600, for files without anything private (a certificate). */
    public OutputFile readableByAll() {
        return new OutputFile(option, path, force, READABLE, regularOnly);
    }

    /** Refuses devices and FIFOs too: for files that are reopened or renamed (a database). */
    public OutputFile regularOnly() {
        return new OutputFile(option, path, force, mode, true);
    }

    public Path path() {
        return path;
    }

    /** The option and path as the user gave them, for messages. */
    public String name() {
        return option == null ? path.toString() : option + " " + path;
    }

    /** Checks the path now, before anything is started; throws {@link OutputFileException} saying what to do. */
    public Target check() {
        if (!regularOnly && STANDARD_STREAM.matcher(path.toString()).matches() && Files.exists(path)) {
            return Target.AS_IS;
        }
        int type;
        try {
            type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
        } catch (NoSuchFileException e) {
            checkDirectory();
            return Target.NEW;
        } catch (IOException e) {
            throw refused("cannot look at it: " + e.getMessage());
        }
        return switch (type) {
            case S_IFREG -> {
                if (!force) {
                    throw refused("the file exists; " + (option == null ? "remove it first" : "pass --force to replace it"));
                }
                checkDirectory();
                yield Target.REPLACE;
            }
            case S_IFLNK -> throw refused("it is a symbolic link" + linkTarget()
                    + "; output files are not written through links: name the file itself");
            case S_IFDIR -> throw refused("it is a directory; name a file in it");
            case S_IFCHR, S_IFIFO -> {
                if (regularOnly) {
                    throw refused("it is a device or FIFO; this output is a database file: name a regular file");
                }
                yield Target.AS_IS;
            }
            default -> throw refused("it is a block device or socket; name a regular file");
        };
    }

    private void checkDirectory() {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw refused(Files.exists(dir) ? dir + " is not a directory" : "the directory " + dir + " does not exist; create it first");
        }
        if (!Files.isWritable(dir)) {
            throw refused("the directory " + dir + " is not writable");
        }
    }

    private String linkTarget() {
        try {
            return " (to " + Files.readSymbolicLink(path) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private OutputFileException refused(String why) {
        return new OutputFileException(name() + ": " + why);
    }

    /** Creates the file as {@link #check()} allows, for writing from its start. */
    public FileChannel open() {
        Target target = check();
        try {
            return switch (target) {
                case AS_IS -> FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                case REPLACE -> {
                    Files.deleteIfExists(path);
                    yield createdNew();
                }
                case NEW -> createdNew();
            };
        } catch (FileAlreadyExistsException e) {
            throw refused("something was created at this path while it was being created; check who writes there");
        } catch (IOException e) {
            throw new OutputFileException(name() + ": cannot create it: " + e.getMessage(), e);
        }
    }

    private FileChannel createdNew() throws IOException {
        FileChannel channel = createNew(path);
        created = true;
        return channel;
    }

    /** A command that did not start removes what it created; a device or stream it wrote to is left alone. */
    public void deleteIfCreated() {
        if (!created) {
            return;
        }
        try {
            Files.deleteIfExists(path);
            created = false;
        } catch (IOException e) {
            throw new OutputFileException(name() + ": cannot remove it: " + e.getMessage(), e);
        }
    }

    /** Creates a file new at {@code file} with this output's mode, never following a link there. */
    public FileChannel createNew(Path file) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(mode));
    }

    /** As {@link #open()}, as a stream (closing it closes the file). */
    public OutputStream openStream() {
        return Channels.newOutputStream(open());
    }

    /** Creates the file and writes {@code bytes} into it. */
    public void write(byte[] bytes) {
        try (FileChannel channel = open()) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new OutputFileException(name() + ": cannot write it: " + e.getMessage(), e);
        }
    }

    /**
     * Puts a finished file ({@code source}, in the same file system) at this path by renaming it:
     * rename(2) replaces whatever is at the path, a link included, and never writes through it.
     * Sets this output's mode on {@code source} first.
     */
    public void moveHere(Path source) {
        Target target = check();
        try {
            Files.setPosixFilePermissions(source, mode);
            if (target == Target.REPLACE) {
                Files.move(source, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(source, path); // fails when something appeared at the path meanwhile
            }
        } catch (IOException e) {
            throw new OutputFileException(name() + ": cannot put " + source + " there: " + e.getMessage(), e);
        }
    }

    /** Checks every output of a command, so that none fails after the others were created or probes attached. */
    public static void checkAll(OutputFile... files) {
        for (OutputFile f : files) {
            if (f != null) {
                f.check();
            }
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
