package io.vnettracer.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the host's network tools (ip, tc, iptables, sysctl) for the lab. Each command's output is
 * kept for the error that names it; {@code log} sees every command line before it runs.
 */
final class Tools {
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private static final long TIMEOUT_SECONDS = 30;
    private final Consumer<String> log;

    Tools(Consumer<String> log) {
        this.log = log;
    }

    /** Runs {@code command}; throws with its output if it fails. */
    String run(String what, List<String> command) {
        Result r = attempt(command);
        if (!r.ok()) {
            throw new LabException(what + ": '" + String.join(" ", command) + "' exited " + r.exitCode()
                    + (r.output().isBlank() ? "" : ": " + r.output().strip()));
        }
        return r.output();
    }

    /** Runs {@code command} and returns how it went, failed or not. */
    Result attempt(List<String> command) {
        log.accept(String.join(" ", command));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LabException("'" + String.join(" ", command) + "' did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new LabException("cannot run " + command.getFirst() + " (" + e.getMessage()
                    + "); is it installed? scripts/setup installs what the lab needs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
    }

    /** {@code ip [-n NS] ARGS...}; a null namespace is the root namespace. */
    static List<String> ip(String namespace, String... args) {
        return inNamespace("ip", namespace, args);
    }

    /** {@code tc [-n NS] ARGS...}. */
    static List<String> tc(String namespace, String... args) {
        return inNamespace("tc", namespace, args);
    }

    /** {@code ip netns exec NS iptables -w ARGS...}: the namespace's own tables. */
    static List<String> iptables(String namespace, String... args) {
        return execIn(namespace, concat(List.of("iptables", "-w"), args));
    }

    /** {@code ip netns exec NS COMMAND...}, or COMMAND itself for the root namespace. */
    static List<String> execIn(String namespace, List<String> command) {
        if (namespace == null) {
            return command;
        }
        return concat(List.of("ip", "netns", "exec", namespace), command.toArray(String[]::new));
    }

    private static List<String> inNamespace(String tool, String namespace, String... args) {
        return namespace == null ? concat(List.of(tool), args) : concat(List.of(tool, "-n", namespace), args);
    }

    private static List<String> concat(List<String> head, String... tail) {
        var all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return List.copyOf(all);
    }
}
