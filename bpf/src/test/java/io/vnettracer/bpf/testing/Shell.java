package io.vnettracer.bpf.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (ip, tc) for test set-up and fails loudly with its output. */
public final class Shell {
    private Shell() {}

    public static String run(String... command) {
        return run(true, command);
    }

    /** Runs and ignores failure (for clean-up of things that may not exist). */
    public static String quiet(String... command) {
        return run(false, command);
    }

    private static String run(boolean check, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' exited "
                        + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
