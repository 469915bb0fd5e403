package io.vnettracer.bench.path;

import io.vnettracer.bench.JsonOut;
import io.vnettracer.bench.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What tracing costs the traffic it watches: iperf3 TCP throughput, iperf3 small-UDP rate and
 * sockperf ping-pong latency across a lab path (vm0 -> veth -> bridge -> veth -> vm1) with nothing
 * attached, with {@code vnettracer trace} run as a user runs it (2 and 6 probes, record mode; the
 * aggregate variant is listed as not built), with tcpdump and with bpftrace. Rounds alternate the
 * configurations (a b c d e a b c d e ...); each load gets its own tracer, stopped right after it,
 * and each tracer's own count of what it dropped is summed per configuration.
 * Usage: {@code scripts/bench path [--rounds N] [--seconds S]}.
 */
public final class PathBench {
    private PathBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = positive(args, ++i);
                case "--seconds" -> seconds = positive(args, ++i);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: scripts/bench path [--rounds N] [--seconds S]");
            }
        }
        List<Configuration> configurations = List.of(Configuration.NOTHING, TraceCommandConfiguration.recordTwoProbes(),
                TraceCommandConfiguration.recordSixProbes(), new TcpdumpConfiguration(), new BpftraceConfiguration(),
                TraceCommandConfiguration.aggregateSixProbes());
        int capacity = rounds;
        Map<Configuration, Map<String, Samples>> samples = new LinkedHashMap<>();
        for (Configuration c : configurations) {
            Map<String, Samples> byFigure = new LinkedHashMap<>();
            PathWorkload.FIGURES.forEach((figure, unit) -> byFigure.put(figure, new Samples(figure, unit, capacity)));
            samples.put(c, byFigure);
        }
        Map<Configuration, String> unavailable = new LinkedHashMap<>();
        Map<Configuration, LossTotals> losses = new LinkedHashMap<>();
        configurations.forEach(c -> losses.put(c, new LossTotals()));
        List<Map<String, Object>> notes = new ArrayList<>();

        PathLab lab = new PathLab();
        List<BenchProcess> servers = new ArrayList<>();
        try {
            System.out.println("path: lab " + PathLab.NAME + " up (vm0 " + PathLab.CLIENT_IP + " -> bridge -> vm1 "
                    + PathLab.SERVER_IP + ")");
            lab.up();
            servers.add(BenchProcess.start("iperf3 server", lab.inVm(PathLab.SERVER,
                    List.of("iperf3", "-s", "-p", String.valueOf(PathWorkload.IPERF_PORT)))));
            servers.add(BenchProcess.start("sockperf server", lab.inVm(PathLab.SERVER,
                    List.of("sockperf", "server", "-i", PathLab.SERVER_IP, "-p", String.valueOf(PathWorkload.SOCKPERF_PORT)))));
            Thread.sleep(1000);
            warmUpNeighbours(lab);
            for (Configuration c : configurations) {
                Optional<String> reason = c.unavailableReason(lab);
                reason.ifPresent(r -> {
                    unavailable.put(c, r);
                    System.out.println("path: " + c.label() + " unavailable: " + r);
                });
            }
            for (int round = 0; round < rounds; round++) {
                for (Configuration c : configurations) {
                    if (unavailable.containsKey(c)) {
                        continue;
                    }
                    for (PathWorkload w : PathWorkload.values()) {
                        Map<String, Double> figures;
                        Account account;
                        try (Configuration.Attached attached = c.attach(lab, w)) {
                            figures = w.run(lab, seconds);
                            account = attached.finish();
                        }
                        figures.forEach((figure, value) -> samples.get(c).get(figure).add(value));
                        String line = account.line();
                        System.out.printf("  round %d  %-30s %-15s %s%s%n", round + 1, c.label(), w.name().toLowerCase(),
                                figures.values().stream().map(v -> fmt(v)).toList(), line.isEmpty() ? "" : "  [" + line + "]");
                        if (account != Account.NONE) {
                            losses.get(c).add(account);
                            Map<String, Object> note = new LinkedHashMap<>();
                            note.put("round", round + 1);
                            note.put("configuration", c.label());
                            note.put("load", w.name().toLowerCase());
                            note.put("account", line);
                            note.put("seen", account.seen() == Account.NOT_REPORTED ? null : account.seen());
                            note.put("lost", account.lost() == Account.NOT_REPORTED ? null : account.lost());
                            if (!account.lostByPoint().isEmpty()) {
                                note.put("lost_by_probe", account.lostByPoint());
                            }
                            notes.add(note);
                        }
                    }
                }
            }
        } finally {
            servers.forEach(BenchProcess::close);
            System.out.println("path: lab " + PathLab.NAME + " down");
            lab.close();
        }

        String command = "scripts/bench path --rounds " + rounds + " --seconds " + seconds;
        printTable(samples, unavailable, losses, rounds, seconds, command);
        writeResult(samples, unavailable, losses, notes, command);
    }

    private static void printTable(Map<Configuration, Map<String, Samples>> samples, Map<Configuration, String> unavailable,
                                   Map<Configuration, LossTotals> losses, int rounds, int seconds, String command) {
        System.out.println();
        System.out.println("command: " + command);
        System.out.printf("%d rounds, configurations alternating, %d s per load; ratio = median / median of (a) in this run%n",
                rounds, seconds);
        for (Configuration c : samples.keySet()) {
            System.out.println("  " + c.label() + ": " + c.description());
        }
        System.out.println();
        System.out.println(String.format("%-32s %12s %12s %12s  %-10s %s", "configuration", "median", "min", "max", "unit", "ratio to (a)"));
        Map<String, Samples> baseline = samples.get(Configuration.NOTHING);
        PathWorkload.FIGURES.forEach((figure, unit) -> {
            System.out.println(figure);
            samples.forEach((c, byFigure) -> {
                if (unavailable.containsKey(c)) {
                    System.out.printf("  %-30s unavailable: %s%n", c.label(), unavailable.get(c));
                    return;
                }
                Samples s = byFigure.get(figure);
                System.out.println(String.format("  %-30s %12s %12s %12s  %-10s %s", c.label(), fmt(s.median()), fmt(s.min()),
                        fmt(s.max()), unit, String.format("%.3f", s.median() / baseline.get(figure).median())));
            });
        });
        System.out.println("dropped by the tracer itself, summed over every load of every round (each in its own terms)");
        samples.keySet().forEach(c -> {
            if (c.counts().isEmpty() || unavailable.containsKey(c)) {
                return;
            }
            System.out.printf("  %-30s %s%n  %-30s   (%s)%n", c.label(), losses.get(c).line(), "", c.counts());
        });
    }

    private static void writeResult(Map<Configuration, Map<String, Samples>> samples, Map<Configuration, String> unavailable,
                                    Map<Configuration, LossTotals> losses, List<Map<String, Object>> notes,
                                    String command) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "path");
        out.put("command", command);
        out.put("time", Instant.now().toString());
        out.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("java", Runtime.version().toString());
        out.put("path", "netns vm0 (" + PathLab.CLIENT_IP + ") -> veth -> bridge in its own netns -> veth -> netns vm1 ("
                + PathLab.SERVER_IP + "), no shaping; clients in vm0, servers in vm1");
        List<Map<String, Object>> configurations = new ArrayList<>();
        Map<String, Samples> baseline = samples.get(Configuration.NOTHING);
        samples.forEach((c, byFigure) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", c.label());
            m.put("description", c.description());
            if (unavailable.containsKey(c)) {
                m.put("unavailable", unavailable.get(c));
            } else {
                List<Map<String, Object>> figures = new ArrayList<>();
                byFigure.forEach((figure, s) -> {
                    Map<String, Object> f = s.toJson();
                    f.put("ratio_to_nothing_attached", s.median() / baseline.get(figure).median());
                    figures.add(f);
                });
                m.put("figures", figures);
                if (!c.counts().isEmpty()) {
                    m.put("dropped_by_tracer", losses.get(c).toJson(c.counts()));
                }
            }
            configurations.add(m);
        });
        out.put("configurations", configurations);
        out.put("accounts", notes);
        Path dir = Path.of("bench-results");
        Files.createDirectories(dir);
        Path file = dir.resolve("path-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, JsonOut.write(out));
        System.out.println("\nresult written to " + file);
    }

    /** One datagram each way, so that no measured packet waits for ARP. */
    private static void warmUpNeighbours(PathLab lab) {
        for (String[] way : new String[][] {{PathLab.CLIENT, PathLab.SERVER_IP}, {PathLab.SERVER, PathLab.CLIENT_IP}}) {
            try (BenchProcess p = BenchProcess.start("neighbour warm-up", lab.inVm(way[0], List.of("bash", "-c",
                    "exec 3>/dev/udp/" + way[1] + "/9; printf x >&3 || true")))) {
                p.awaitExit(10);
            }
        }
    }

    private static int positive(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a number");
        }
        int n = Integer.parseInt(args[i]);
        if (n < 1) {
            throw new IllegalArgumentException(args[i - 1] + " must be at least 1, not " + n);
        }
        return n;
    }

    private static String fmt(double v) {
        return v >= 1000 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }
}
