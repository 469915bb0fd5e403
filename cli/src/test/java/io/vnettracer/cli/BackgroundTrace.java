package io.vnettracer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code vnettracer trace} (or {@code collect}) run in-process on another thread, with its control
 * socket in a test's directory: {@link #awaitAttached} returns once the socket is there, which the
 * trace creates only after every probe is attached (collect: after every agent has started its part).
 */
final class BackgroundTrace {
    private final CompletableFuture<CommandLineRun> run;
    private final Path socket;

    BackgroundTrace(Path runDir, String... traceArgs) {
        this("trace", runDir, traceArgs);
    }

    /** {@code vnettracer collect} with {@code collectArgs}. */
    static BackgroundTrace collect(Path runDir, String... collectArgs) {
        return new BackgroundTrace("collect", runDir, collectArgs);
    }

    /** {@code vnettracer diagnose} with {@code traceArgs}. */
    static BackgroundTrace diagnose(Path runDir, String... traceArgs) {
        return new BackgroundTrace("diagnose", runDir, traceArgs);
    }

    /** {@code vnettracer trace} with {@code traceArgs} on a command line the test prepared (e.g. a sink added). */
    static BackgroundTrace trace(picocli.CommandLine commandLine, Path runDir, String... traceArgs) {
        return new BackgroundTrace(commandLine, "trace", runDir, traceArgs);
    }

    private BackgroundTrace(String command, Path runDir, String... traceArgs) {
        this(Main.commandLine(), command, runDir, traceArgs);
    }

    private BackgroundTrace(picocli.CommandLine commandLine, String command, Path runDir, String... traceArgs) {
        String[] args = new String[traceArgs.length + 3];
        args[0] = command;
        args[1] = "--run-dir";
        args[2] = runDir.toString();
        System.arraycopy(traceArgs, 0, args, 3, traceArgs.length);
        this.socket = runDir.resolve(ProcessHandle.current().pid() + ".sock");
        this.run = CompletableFuture.supplyAsync(() -> CommandLineRun.of(commandLine, args),
                r -> Thread.ofPlatform().name("test-trace").start(r));
    }

    void awaitAttached() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (run.isDone()) {
                throw new AssertionError("the trace ended before attaching: " + run.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the trace did not attach within 20 s");
            }
            Thread.sleep(10);
        }
    }

    Path socket() {
        return socket;
    }

    CommandLineRun result() throws Exception {
        return result(60);
    }

    /** The run's result, waited for at most {@code seconds}. */
    CommandLineRun result(long seconds) throws Exception {
        return run.get(seconds, TimeUnit.SECONDS);
    }
}
