package io.vnettracer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./vnettracer agent} and a {@code ./vnettracer collect} driving it, as a user starts them:
 * certificates made by {@code vnettracer certs}, one node, the six probes of {@link TwoNamespaces}
 * as that node's script. The collector prints one "clock offset" line per node once the node's
 * trace has started: from then on the agent is attached and streaming.
 */
final class AgentProcesses implements AutoCloseable {
    static final String NODE = "n0";
    private static final String STARTED_LINE = "clock offset";

    final Path dir;
    final List<String> agentCommand;
    final List<String> collectCommand;
    final Process agent;
    final Process collect;
    private final List<String> collectOutput = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    AgentProcesses(TwoNamespaces net, String filter, int seconds) throws Exception {
        dir = Files.createTempDirectory("vnettracer-bench-agent-");
        String launcher = Path.of("vnettracer").toAbsolutePath().toString();
        run(List.of(launcher, "certs", "--dir", dir.resolve("tls").toString(), "--node", NODE));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        agentCommand = List.of(launcher, "agent", "--node", NODE, "--tls-dir", dir.resolve("tls").toString(),
                "--listen", "127.0.0.1:" + port);
        agent = new ProcessBuilder(agentCommand).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        StringBuilder script = new StringBuilder("filter " + filter + "\n");
        String[] probes = net.probeOptions();
        for (int i = 1; i < probes.length; i += 2) {
            int eq = probes[i].indexOf('=');
            script.append("probe ").append(NODE).append('/').append(probes[i], 0, eq).append(' ')
                    .append(probes[i].substring(eq + 1)).append('\n');
        }
        Files.writeString(dir.resolve("node.vnt"), script);
        collectCommand = List.of(launcher, "collect", "--agent", NODE + "=127.0.0.1:" + port,
                "--tls-dir", dir.resolve("tls").toString(), "--script", dir.resolve("node.vnt").toString(),
                "--state", dir.resolve("state").toString(), "--duration", (seconds + 30) + "s", "--quiet");
        awaitListening(port);
        collect = new ProcessBuilder(collectCommand).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name("collect-output").start(this::readCollect);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the agent did not listen on port " + port + " within 60 s");
    }

    private void readCollect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(collect.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                collectOutput.add(line);
                if (line.contains(STARTED_LINE)) started.complete(null);
            }
        } catch (IOException e) {
            started.completeExceptionally(e);
        }
        started.completeExceptionally(new IllegalStateException("collect ended before the trace started: "
                + String.join("\n", collectOutput)));
    }

    void awaitStarted() throws Exception {
        try {
            started.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    long agentStatusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(agent.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + agent.pid() + "/status");
    }

    /** Ends the collector (SIGTERM: it stops the agent's trace and writes its summary), then the agent. */
    List<String> finish() throws Exception {
        collect.destroy();
        collect.waitFor(60, TimeUnit.SECONDS);
        return List.copyOf(collectOutput);
    }

    @Override
    public void close() throws Exception {
        collect.destroyForcibly();
        agent.destroy();
        if (!agent.waitFor(30, TimeUnit.SECONDS)) agent.destroyForcibly();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
