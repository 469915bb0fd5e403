package io.vnettracer.bench.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bench.TraceProcess;
import io.vnettracer.cli.control.RunDirectory;
import io.vnettracer.lab.LabNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * vNetTracer as a user runs it: {@code ./vnettracer trace --quiet --json FILE --probe ...}, a
 * process of its own (launcher, JVM and all) started before each load and stopped with SIGTERM,
 * as Ctrl-C stops it, right after; what it recorded and lost in its ring buffers is read from the
 * --json it writes as it ends ({@code probes[].events}, {@code probes[].lost}, {@code events_lost}).
 * Identity is by fingerprint, so packets are not changed.
 */
final class TraceCommandConfiguration implements Configuration {
    /** How long the trace may take from its start (JVM, attach) to its control socket listening. */
    private static final long ATTACH_TIMEOUT_MILLIS = 120_000;
    /** How long the trace may take to detach and write its --json after SIGTERM (it allows itself 20 s). */
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the trace does with each event: the variants are named by it so that the next mode gets its own rows. */
    enum Mode {
        /** Every event recorded, joined into journeys: what {@code vnettracer trace} does today. */
        RECORD("record", Optional.empty()),
        /** Added up in the kernel (--mode aggregate), nothing recorded per packet. */
        AGGREGATE("aggregate", Optional.empty());

        private final String word;
        private final Optional<String> notBuilt;

        Mode(String word, Optional<String> notBuilt) {
            this.word = word;
            this.notBuilt = notBuilt;
        }
    }

    private final Mode mode;
    private final String label;
    private final boolean wholePath;

    private TraceCommandConfiguration(String letter, Mode mode, boolean wholePath) {
        this.mode = mode;
        this.wholePath = wholePath;
        this.label = "(" + letter + ") trace " + mode.word + ", " + (wholePath ? 6 : 2) + " probes";
    }

    /** (b): the two VM interfaces (the points bpftrace (e) watches), every packet recorded, no filter. */
    static TraceCommandConfiguration recordTwoProbes() {
        return new TraceCommandConfiguration("b", Mode.RECORD, false);
    }

    /** (c): both sockets, both VM interfaces, both bridge ports, filtered to the load's packets. */
    static TraceCommandConfiguration recordSixProbes() {
        return new TraceCommandConfiguration("c", Mode.RECORD, true);
    }

    /** (f): (c)'s probes in aggregate mode ({@code --mode aggregate}). */
    static TraceCommandConfiguration aggregateSixProbes() {
        return new TraceCommandConfiguration("f", Mode.AGGREGATE, true);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String description() {
        String probes = wholePath
                ? "6 probes (sock send vm0, dev vm0 eth0 egress, bridge port of vm0 ingress, bridge port of vm1 egress,"
                        + " dev vm1 eth0 ingress, sock recv vm1), --filter <the load's filter>"
                : "2 probes (dev vm0 eth0 egress, dev vm1 eth0 ingress), no filter (every packet)";
        return "./vnettracer trace --quiet --json FILE --id fingerprint, " + mode.word + " mode, " + probes
                + "; its own process, started before each load, SIGTERM after it";
    }

    @Override
    public String counts() {
        return mode == Mode.AGGREGATE
                ? "sightings added up in the kernel / not added (its --json: probes[].events, aggregation.counters)"
                : "events recorded / lost in its ring buffers (its --json: probes[].events, events_lost)";
    }

    @Override
    public Optional<String> unavailableReason(PathLab lab) {
        if (mode.notBuilt.isPresent()) {
            return mode.notBuilt;
        }
        Path launcher = TraceProcess.launcher();
        return Files.isExecutable(launcher) ? Optional.empty()
                : Optional.of("no launcher at " + launcher + " (run scripts/bench from the project's root)");
    }

    @Override
    public Attached attach(PathLab lab, PathWorkload workload) {
        Path dir;
        try {
            dir = Files.createTempDirectory("vnettracer-bench-trace-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the trace's --json: " + e.getMessage(), e);
        }
        Path json = dir.resolve("summary.json");
        BenchProcess trace = BenchProcess.start("vnettracer trace", command(lab.names(), workload, json));
        try {
            awaitControlSocket(trace);
        } catch (RuntimeException e) {
            trace.close();
            deleteQuietly(json, dir);
            throw e;
        }
        return new Attached() {
            @Override
            public Account finish() {
                String out = trace.stop(STOP_TIMEOUT_SECONDS);
                if (trace.isAlive()) {
                    throw new IllegalStateException("vnettracer trace did not end within " + STOP_TIMEOUT_SECONDS
                            + " s of SIGTERM:\n" + out);
                }
                if (!Files.isRegularFile(json)) {
                    throw new IllegalStateException("vnettracer trace ended without writing its --json " + json + ":\n" + out);
                }
                return account(json);
            }

            @Override
            public void close() {
                trace.close();
                deleteQuietly(json, dir);
            }
        };
    }

    /** The command line, as a user would type it (the launcher's absolute path first). */
    List<String> command(LabNames names, PathWorkload workload, Path json) {
        List<String> argv = new ArrayList<>(List.of(TraceProcess.launcher().toString(), "trace", "--quiet",
                "--json", json.toString(), "--id", "fingerprint", "--mode", mode.word));
        probes(names, wholePath).forEach((name, spec) -> argv.addAll(List.of("--probe", name + "=" + spec)));
        if (wholePath) {
            argv.addAll(List.of("--filter", workload.filter()));
        }
        return argv;
    }

    /** Probe name -> spec, in path order. */
    static Map<String, String> probes(LabNames names, boolean wholePath) {
        String client = names.vmNamespace(PathLab.CLIENT);
        String server = names.vmNamespace(PathLab.SERVER);
        String sw = names.switchNamespace();
        Map<String, String> specs = new LinkedHashMap<>();
        if (wholePath) {
            specs.put("app_tx", "sock:" + client + ":send");
        }
        specs.put("client_out", "dev:" + client + "/" + LabNames.VM_INTERFACE + ":egress");
        if (wholePath) {
            specs.put("switch_in", "dev:" + sw + "/" + names.port(PathLab.CLIENT) + ":ingress");
            specs.put("switch_out", "dev:" + sw + "/" + names.port(PathLab.SERVER) + ":egress");
        }
        specs.put("server_in", "dev:" + server + "/" + LabNames.VM_INTERFACE + ":ingress");
        if (wholePath) {
            specs.put("app_rx", "sock:" + server + ":recv");
        }
        return specs;
    }

    /**
     * Events recorded and lost, from the trace's --json. A probe that recorded nothing is named in
     * the line: the load did not pass it, and the row would not measure what it says.
     */
    static Account account(Path json) {
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the trace's --json " + json + ": " + e.getMessage(), e);
        }
        JsonNode probes = root.path("probes");
        JsonNode eventsLost = root.path("events_lost");
        if (!probes.isArray() || !eventsLost.canConvertToLong()) {
            throw new IllegalStateException("the trace's --json " + json + " has no probes[] or events_lost (docs/JOURNEYS.md)");
        }
        long events = 0;
        Map<String, Long> lostByProbe = new LinkedHashMap<>();
        List<String> silent = new ArrayList<>();
        for (JsonNode p : probes) {
            String name = p.path("name").asText();
            long recorded = p.path("events").asLong();
            events += recorded;
            lostByProbe.put(name, p.path("lost").asLong());
            if (recorded == 0) {
                silent.add(name);
            }
        }
        long lost = eventsLost.asLong();
        JsonNode aggregation = root.path("aggregation");
        if (aggregation.isObject()) {
            // Aggregate mode: nothing crosses a ring; what the kernel could not add up is its own loss.
            long notAdded = 0;
            List<String> parts = new ArrayList<>();
            for (var c : aggregation.path("counters").properties()) {
                if (c.getKey().equals("duplicates") || c.getKey().equals("other_flow_packets")) continue;
                notAdded += c.getValue().asLong();
                parts.add(c.getKey() + " " + c.getValue().asLong());
            }
            return new Account(events, notAdded, Map.of("aggregation", notAdded), String.format(
                    "%,d sightings added up in the kernel, %,d not (%s)", events, notAdded, String.join(", ", parts))
                    + (silent.isEmpty() ? "" : "; SAW NOTHING: " + String.join(", ", silent)));
        }
        String line = String.format("%,d events recorded, %,d lost in ring buffers (%s)", events, lost,
                String.join(", ", lostByProbe.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()))
                + (silent.isEmpty() ? "" : "; RECORDED NOTHING: " + String.join(", ", silent));
        return new Account(events, lost, lostByProbe, line);
    }

    /** Waits for the trace's control socket: it listens once every probe is attached (TraceCommand.Run#startControl). */
    private static void awaitControlSocket(BenchProcess trace) {
        Path socket = new RunDirectory(RunDirectory.DEFAULT).socketOf(trace.pid()); // the launcher execs java: same pid
        long deadline = System.nanoTime() + ATTACH_TIMEOUT_MILLIS * 1_000_000;
        while (!Files.exists(socket)) {
            if (!trace.isAlive()) {
                throw new IllegalStateException("vnettracer trace ended before it was attached:\n" + trace.output());
            }
            if (trace.output().contains("live control is off")) {
                throw new IllegalStateException("vnettracer trace opened no control socket, so its attach cannot be seen:\n"
                        + trace.output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("vnettracer trace did not open " + socket + " within "
                        + ATTACH_TIMEOUT_MILLIS + " ms:\n" + trace.output());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for vnettracer trace to attach", e);
            }
        }
    }

    private static void deleteQuietly(Path json, Path dir) {
        TcpdumpConfiguration.deleteQuietly(json);
        TcpdumpConfiguration.deleteQuietly(dir);
    }
}
