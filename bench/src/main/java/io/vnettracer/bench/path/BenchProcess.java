package io.vnettracer.bench.path;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the path benchmark starts (a server, a client, tcpdump, bpftrace): its output goes to
 * a log file, which is read to know when it is ready and what it reported; {@link #close} always
 * ends it (gently first, so that tcpdump and bpftrace flush and report their counts) and deletes
 * the log.
 */
final class BenchProcess implements AutoCloseable {
    /** Every process started and not yet closed, so that an interrupted run can still end them all. */
    private static final Set<BenchProcess> LIVE = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Process process;
    private final Path log;

    private BenchProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static BenchProcess start(String name, List<String> argv) {
        Path log = null;
        try {
            log = Files.createTempFile("vnettracer-bench-", ".log");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            BenchProcess started = new BenchProcess(name, p, log);
            LIVE.add(started);
            return started;
        } catch (IOException e) {
            deleteQuietly(log);
            throw new IllegalStateException("cannot start " + name + " (" + String.join(" ", argv) + "): "
                    + e.getMessage() + "; run scripts/setup", e);
        }
    }

    String name() {
        return name;
    }

    /** Waits until the output contains {@code text}; fails with the output if the process ends first. */
    void awaitReady(String text, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended (exit " + process.exitValue() + ") before it was ready:\n" + output());
            }
            sleep(20);
        }
        throw new IllegalStateException(name + " did not print '" + text + "' within " + timeoutMillis + " ms:\n" + output());
    }

    /** Waits for the process to end by itself; returns its output, or fails with it on a non-zero exit. */
    String awaitExit(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
        String text = output();
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "):\n" + text);
        }
        return text;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the process to end (SIGTERM), waits for it (10 s at most), and returns everything it printed. */
    String stop() {
        return stop(10);
    }

    /** Asks the process to end (SIGTERM), waits for it, and returns everything it printed. */
    String stop(long timeoutSeconds) {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return output();
    }

    /** Where the output goes, for reading a long one line by line. */
    Path log() {
        return log;
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /** Closes every process not closed yet (for a run cut short). */
    static void closeAll() {
        List.copyOf(LIVE).forEach(BenchProcess::close);
    }

    @Override
    public void close() {
        LIVE.remove(this);
        stop();
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(log);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary log left behind is harmless
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
