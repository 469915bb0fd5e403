package io.vnettracer.cli.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where running traces listen: {@code /run/vnettracer/<pid>.sock}. The directory is root's alone
 * (mode 0700), since whoever reaches a socket can attach probes. A socket whose process is gone is
 * stale: the next trace to start removes it, and {@code ctl} ignores it.
 */
public final class RunDirectory {
    public static final Path DEFAULT = Path.of("/run/vnettracer");
    private static final String SUFFIX = ".sock";

    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path socketOf(long pid) {
        return dir.resolve(pid + SUFFIX);
    }

    /**
     * Creates the directory (0700), removes stale sockets (and one left by an earlier trace of this
     * very process), and returns the path this process should listen on.
     */
    public Path prepare() {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            requireOwnDirectory();
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            long self = ProcessHandle.current().pid();
            for (long pid : socketPids()) {
                if (pid == self || !alive(pid)) {
                    Files.deleteIfExists(socketOf(pid));
                }
            }
            return socketOf(self);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir + " for the control socket: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a directory another user could have prepared: one that is a symbolic link or is owned
     * by someone else could hand the socket, and so control of the trace, to that user.
     */
    private void requireOwnDirectory() throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink() || !a.isDirectory()) {
            throw new IOException(dir + " is " + (a.isSymbolicLink() ? "a symbolic link" : "not a directory")
                    + "; the control socket goes only into a real directory of this process's user: remove it or choose another --run-dir");
        }
        UserPrincipal self = processUser();
        if (!a.owner().equals(self)) {
            throw new IOException(dir + " belongs to " + a.owner().getName() + ", not to " + self.getName()
                    + " (this process's user), who could reach the control socket through it: remove it or choose another --run-dir");
        }
    }

    /** The user this process runs as (its effective uid: the owner of /proc/self). */
    static UserPrincipal processUser() throws IOException {
        return Files.getOwner(Path.of("/proc/self"));
    }

    /** The pids of traces whose process is alive and whose socket is there, in ascending order. */
    public List<Long> liveTraces() {
        return socketPids().stream().filter(RunDirectory::alive).sorted().toList();
    }

    /**
     * The socket {@code ctl} talks to: the one of {@code pid}, or without a pid the only live
     * trace's. Throws IllegalArgumentException saying what is running instead.
     */
    public Path choose(Long pid) {
        List<Long> live = liveTraces();
        if (pid != null) {
            if (!live.contains(pid)) {
                throw new IllegalArgumentException("no trace with pid " + pid + " listens in " + dir
                        + (live.isEmpty() ? "; no trace is running" : "; running traces: " + pids(live)));
            }
            return socketOf(pid);
        }
        if (live.isEmpty()) {
            throw new IllegalArgumentException("no trace is running (no live socket in " + dir + ")");
        }
        if (live.size() > 1) {
            throw new IllegalArgumentException(live.size() + " traces are running (pids " + pids(live)
                    + "); choose one with --pid");
        }
        return socketOf(live.getFirst());
    }

    private List<Long> socketPids() {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                try {
                    pids.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                } catch (NumberFormatException notOurs) {
                    // another program's file: leave it alone
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String pids(List<Long> pids) {
        return pids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
