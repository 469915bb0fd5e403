package io.vnettracer.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code ./vnettracer trace} with six probes holds in memory under load, and then what
 * {@code ./vnettracer agent} holds with the same probes streaming to a collector: the resident set
 * (VmRSS, from /proc/PID/status) once a second while UDP datagrams flow at a fixed rate from one
 * namespace's socket to the other's, and its high-water mark (VmHWM) at the end.
 * Usage: {@code scripts/bench memory [--seconds N] [--rate DATAGRAMS_PER_S]}.
 */
public final class MemoryBench {
    private static final int PORT = 4000;
    private static final int PAYLOAD = 64;

    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int rate = 20_000;
        for (int i = 0; i + 1 < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i].replace("_", ""));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --seconds, --rate)");
            }
        }
        Samples rss = new Samples("trace RSS under load, sampled once a second", "MB", seconds);
        Samples idle = new Samples("trace RSS attached, before traffic", "MB", 1);
        Samples hwm = new Samples("trace VmHWM (peak RSS) at the end", "MB", 1);
        Samples sentRate = new Samples("datagrams sent", "datagrams/s", 1);
        List<String> command;
        long sent;
        long received;
        Map<String, Long> eventsByProbe = new LinkedHashMap<>();
        try (TwoNamespaces net = new TwoNamespaces("vbm")) {
            List<String> options = new ArrayList<>(List.of(net.probeOptions()));
            options.addAll(List.of("--filter", "udp and port " + PORT, "--duration", "10m"));
            try (TraceProcess trace = new TraceProcess(options.toArray(String[]::new));
                 DatagramChannel receiver = TwoNamespaces.udpSocket(net.b, TwoNamespaces.B_ADDRESS, PORT);
                 DatagramChannel sender = TwoNamespaces.udpSocket(net.a, TwoNamespaces.A_ADDRESS, 0)) {
                command = trace.command;
                trace.awaitAttached();
                Thread.sleep(1000);
                idle.add(trace.statusKb("VmRSS") / 1024.0);
                AtomicLong got = new AtomicLong();
                Thread reader = Thread.ofPlatform().daemon().start(() -> drain(receiver, got));
                long start = System.nanoTime();
                sent = send(sender, rate, seconds, () -> rss.add(statusMb(trace)));
                double elapsed = (System.nanoTime() - start) / 1e9;
                sentRate.add(sent / elapsed);
                Thread.sleep(500);
                received = got.get();
                hwm.add(trace.statusKb("VmHWM") / 1024.0);
                for (var probe : trace.control(trace.request("list")).get(io.vnettracer.cli.control.ControlProtocol.PROBES)) {
                    eventsByProbe.put(probe.get("name").asText(), probe.get("events").asLong());
                }
                receiver.close();
                reader.join(2000);
            }
        }
        System.out.printf("sent %,d datagrams, received %,d; events recorded by the trace's probes: %s%n",
                sent, received, eventsByProbe);
        if (eventsByProbe.values().stream().anyMatch(n -> n == 0)) {
            throw new IllegalStateException("a probe recorded nothing: the trace was not under load, the figures would be wrong");
        }
        AgentFigures agentFigures = agentUnderLoad(rate, seconds);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trace_command", String.join(" ", command));
        settings.put("seconds", seconds);
        settings.put("datagrams_per_second", rate);
        settings.put("payload_bytes", PAYLOAD);
        settings.put("sent", sent);
        settings.put("received", received);
        settings.put("events_by_probe", eventsByProbe);
        settings.put("agent_command", String.join(" ", agentFigures.agentCommand));
        settings.put("collect_command", String.join(" ", agentFigures.collectCommand));
        settings.put("agent_sent", agentFigures.sent);
        settings.put("agent_durable_log_bytes", agentFigures.logBytes);
        ResultFile.report("memory", ("scripts/bench memory " + String.join(" ", args)).strip(),
                List.of(idle, rss, hwm, sentRate, agentFigures.idle, agentFigures.rss, agentFigures.hwm), settings);
        System.out.println("trace command: " + String.join(" ", command));
    }

    private record AgentFigures(Samples idle, Samples rss, Samples hwm, long sent, long logBytes,
                                List<String> agentCommand, List<String> collectCommand) {}

    /**
     * The same six probes and load with the agent holding them and a collector on the other end of
     * its stream: the agent's resident set (its ring, its spool of unacknowledged batches, gRPC).
     */
    private static AgentFigures agentUnderLoad(int rate, int seconds) throws Exception {
        Samples rss = new Samples("agent RSS under load, sampled once a second", "MB", seconds);
        Samples idle = new Samples("agent RSS attached, before traffic", "MB", 1);
        Samples hwm = new Samples("agent VmHWM (peak RSS) at the end", "MB", 1);
        try (TwoNamespaces net = new TwoNamespaces("vbm");
             AgentProcesses agent = new AgentProcesses(net, "udp and port " + PORT, seconds);
             DatagramChannel receiver = TwoNamespaces.udpSocket(net.b, TwoNamespaces.B_ADDRESS, PORT);
             DatagramChannel sender = TwoNamespaces.udpSocket(net.a, TwoNamespaces.A_ADDRESS, 0)) {
            agent.awaitStarted();
            Thread.sleep(1000);
            idle.add(agent.agentStatusKb("VmRSS") / 1024.0);
            AtomicLong got = new AtomicLong();
            Thread reader = Thread.ofPlatform().daemon().start(() -> drain(receiver, got));
            long sent = send(sender, rate, seconds, () -> {
                try {
                    rss.add(agent.agentStatusKb("VmRSS") / 1024.0);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(1000);
            hwm.add(agent.agentStatusKb("VmHWM") / 1024.0);
            long logBytes;
            try (var files = java.nio.file.Files.walk(agent.dir.resolve("state"))) {
                logBytes = files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            agent.finish();
            receiver.close();
            reader.join(2000);
            System.out.printf("agent: sent %,d datagrams; the collector's durable log holds %,d bytes (%,d records of 104 bytes at most)%n",
                    sent, logBytes, logBytes / 104);
            if (logBytes < sent * 104L) {
                throw new IllegalStateException("the collector's log holds fewer bytes than one record per datagram:"
                        + " the agent was not streaming under load, the figures would be wrong");
            }
            return new AgentFigures(idle, rss, hwm, sent, logBytes, agent.agentCommand, agent.collectCommand);
        }
    }

    private static double statusMb(TraceProcess trace) {
        try {
            return trace.statusKb("VmRSS") / 1024.0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends at {@code rate} per second in 1 ms batches for {@code seconds}, calling {@code everySecond} once a second. */
    private static long send(DatagramChannel sender, int rate, int seconds, Runnable everySecond) throws Exception {
        InetSocketAddress to = new InetSocketAddress(TwoNamespaces.B_ADDRESS, PORT);
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
        long sent = 0;
        long start = System.nanoTime();
        int reported = 0;
        while (reported < seconds) {
            long now = System.nanoTime() - start;
            long due = now * rate / 1_000_000_000L;
            while (sent < due) {
                payload.clear();
                payload.putLong(0, sent); // distinct first payload bytes: distinct fingerprints
                sender.send(payload, to);
                sent++;
            }
            if (now >= (reported + 1) * 1_000_000_000L) {
                everySecond.run();
                reported++;
            }
            Thread.sleep(1);
        }
        return sent;
    }

    private static void drain(DatagramChannel receiver, AtomicLong count) {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (true) {
                buffer.clear();
                receiver.receive(buffer);
                count.incrementAndGet();
            }
        } catch (java.io.IOException closed) {
            // the benchmark closed the socket
        }
    }
}
