package io.vnettracer.bpf.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ip(8) and tc(8) for tests that build and inspect throw-away networks. */
public final class Command {
    private Command() {}

    /** Runs the command and returns its output; throws with the output if it fails. */
    public static String run(String... command) {
        Result r = tryRun(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    /** Runs the command and returns its exit code and output (stdout and stderr together). */
    public static Result tryRun(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** Creates a named network namespace, first removing any leftover of the same name. */
    public static void addNamespace(String name) {
        deleteNamespace(name);
        run("ip", "netns", "add", name);
    }

    /** Removes a named network namespace if it exists (its interfaces go with it). */
    public static void deleteNamespace(String name) {
        tryRun("ip", "netns", "delete", name);
    }

    public record Result(int exitCode, String output) {}
}
