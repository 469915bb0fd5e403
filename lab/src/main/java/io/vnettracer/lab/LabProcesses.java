package io.vnettracer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Processes as /proc shows them: start times (to tell a recorded pid from a reused one), the lab
 * marker in a command line, the network namespace a process is in; and starting and killing.
 */
final class LabProcesses {
    private static final Path PROC = Path.of("/proc");
    /** proc(5): field 22 of /proc/PID/stat is starttime; field 3 is the state. */
    private static final int STARTTIME_FIELD = 22;
    private static final long KILL_WAIT_MILLIS = 3000;

    private LabProcesses() {}

    /** The start time of a live (not zombie) process {@code pid}, or empty if there is none. */
    static OptionalLong startTime(long pid) {
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException gone) {
            return OptionalLong.empty();
        }
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String state = fields[0];
        if (state.equals("Z") || state.equals("X")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(fields[STARTTIME_FIELD - 3]));
    }

    static boolean isRunning(LabState.ProcessRecord p) {
        OptionalLong start = startTime(p.pid());
        return start.isPresent() && start.getAsLong() == p.startTime();
    }

    /** Live processes with an argument that starts with {@code prefix}. */
    static List<Long> withArgumentStartingWith(String prefix) {
        return matching(pid -> {
            try {
                byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
                for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                    if (arg.startsWith(prefix)) {
                        return true;
                    }
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
            return false;
        });
    }

    /** Live processes carrying lab {@code lab}'s environment marker ({@link LabMarker}). */
    static List<Long> markedBy(String lab) {
        return matching(pid -> LabMarker.processCarries(pid, lab));
    }

    /** Whether recorded process {@code p} still runs (same pid and start time) and carries lab {@code lab}'s marker. */
    static boolean isRunningAndMarked(LabState.ProcessRecord p, String lab) {
        return isRunning(p) && LabMarker.processCarries(p.pid(), lab);
    }

    /** Live processes whose (main thread's) network namespace has one of these inode numbers. */
    static List<Long> inNetNamespaces(Set<Long> inodes) {
        if (inodes.isEmpty()) {
            return List.of();
        }
        return matching(pid -> {
            try {
                Path link = Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("ns").resolve("net"));
                String text = link.toString(); // "net:[4026532567]"
                return inodes.contains(Long.parseLong(text.substring(text.indexOf('[') + 1, text.length() - 1)));
            } catch (IOException | RuntimeException gone) {
                return false;
            }
        });
    }

    private static List<Long> matching(Predicate<Long> test) {
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> pid != self && test.test(pid) && startTime(pid).isPresent())
                    .forEach(found::add);
        } catch (IOException e) {
            throw new LabException("cannot list " + PROC + ": " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * Starts {@code command} detached (own session, no terminal, output discarded), carrying
     * {@code marker} in its environment, and returns its pid.
     */
    static long startDetached(List<String> command, LabMarker marker) {
        List<String> detached = new ArrayList<>();
        detached.add("setsid");
        detached.addAll(command);
        try {
            ProcessBuilder builder = new ProcessBuilder(detached);
            builder.environment().put(LabMarker.ENVIRONMENT_VARIABLE, marker.environmentValue());
            return builder
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .pid();
        } catch (IOException e) {
            throw new LabException("cannot start '" + String.join(" ", detached) + "': " + e.getMessage(), e);
        }
    }

    /** SIGKILLs {@code pids} and waits until they are gone; returns those still alive after the wait. */
    static List<Long> kill(Collection<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MILLIS);
        List<Long> alive = new ArrayList<>(pids);
        while (true) {
            alive.removeIf(pid -> startTime(pid).isEmpty());
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive;
            }
        }
    }
}
