package io.vnettracer.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process of the demo (a server, a load, a client), started in a lab VM and always stopped. */
final class Workload implements AutoCloseable {
    private final String name;
    private final Process process;

    private Workload(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static Workload start(String name, List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            return new Workload(name, p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + argv.get(argv.size() - 1) + "): "
                    + e.getMessage() + "; run scripts/setup", e);
        }
    }

    /** Waits for the process to end by itself and returns what it printed. */
    String awaitOutput(long timeoutSeconds) {
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("reading " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
