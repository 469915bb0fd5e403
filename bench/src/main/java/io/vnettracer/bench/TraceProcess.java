package io.vnettracer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.cli.control.ControlClient;
import io.vnettracer.cli.control.ControlProtocol;
import io.vnettracer.cli.control.RunDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./vnettracer trace} as a user starts it, watched from outside: when it says it is
 * attached, what it answers on its control socket, its /proc status. The trace prints "change it
 * live with" on stderr once every probe is attached and the control socket listens
 * (TraceCommand.Run#startControl), so the time to that line is the time to attached.
 */
public final class TraceProcess implements AutoCloseable {
    static final String ATTACHED_LINE = "change it live with";
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> command;
    final Process process;
    final long startNanos;
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Long> attached = new CompletableFuture<>();

    TraceProcess(String... traceArguments) throws IOException {
        command = new ArrayList<>(List.of(launcher().toString(), "trace"));
        command.addAll(List.of(traceArguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        startNanos = System.nanoTime();
        process = builder.start();
        Thread.ofPlatform().daemon().name("trace-stderr").start(this::readStderr);
    }

    /** The launcher a user runs, {@code ./vnettracer} (scripts/bench runs from the project's root). */
    public static Path launcher() {
        return Path.of("vnettracer").toAbsolutePath();
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!attached.isDone() && line.contains(ATTACHED_LINE)) {
                    attached.complete(System.nanoTime() - startNanos);
                }
                stderr.add(line);
            }
        } catch (IOException e) {
            attached.completeExceptionally(e);
        }
        attached.completeExceptionally(new IllegalStateException("the trace ended before it attached: " + String.join("\n", stderr)));
    }

    /** Waits until the trace says it is attached; returns the ns from start. */
    long awaitAttached() throws Exception {
        try {
            return attached.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    long pid() {
        return process.pid(); // the launcher execs java: same process
    }

    ObjectNode request(String op) {
        return JSON.createObjectNode().put(ControlProtocol.OP, op);
    }

    /** Sends a change; returns the reply, which carries the micros the trace spent on it. Fails on refusal. */
    JsonNode control(ObjectNode request) {
        JsonNode reply = ControlClient.send(new RunDirectory(RunDirectory.DEFAULT).socketOf(pid()), request);
        if (!reply.path(ControlProtocol.OK).asBoolean(false)) {
            throw new IllegalStateException("the trace refused " + request + ": " + reply);
        }
        return reply;
    }

    /** A field of /proc/PID/status in kB (VmRSS, VmHWM). */
    long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid() + "/status");
    }

    /** SIGTERM, as Ctrl-C: the trace detaches and reports; killed if it does not end in 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
