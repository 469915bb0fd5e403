package io.vnettracer.demo;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.features.MountTable;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.diagnosis.Diagnoser;
import io.vnettracer.journey.diagnosis.Evidence;
import io.vnettracer.journey.diagnosis.Finding;
import io.vnettracer.diagnose.EvidenceCollector;
import io.vnettracer.lab.Lab;
import io.vnettracer.lab.LabNames;
import io.vnettracer.lab.Topology;
import io.vnettracer.lab.VmCommands;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import io.vnettracer.sinks.json.JsonSummaryWriter;
import io.vnettracer.sinks.report.MessageLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every case of every study: lab up, servers, the trace, loads, sockperf, the summary; then
 * the lab down, whatever happened. Writes one JSON summary per case and the index
 * ({@code demo.json}) the report is built from.
 */
public final class DemoRunner {
    /**
     * On Open vSwitch's userspace datapath each load is paced: unpaced, iperf3's bursts overflow the
     * packet socket in front of ovs-vswitchd (losses no counter shows), and a lost sockperf message
     * stalls the ping-pong. Twice the shaped port's 50 Mbit/s still fills its queue. It does not
     * prevent the stall on a 2-core machine (docs/LAB.md).
     */
    static final String OVS_LOAD_RATE = "100M";
    private final DemoOptions options;
    private final Lab lab;

    public DemoRunner(DemoOptions options) {
        this.options = options;
        this.lab = new Lab(options.stateDir(), line -> { });
    }

    /** Runs the demo; returns the results of every case, in order. */
    public List<CaseResult> run() throws Exception {
        Files.createDirectories(options.out());
        List<CaseResult> results = new ArrayList<>();
        try {
            for (CaseStudies.Study study : CaseStudies.on(options.switchKind())) {
                for (CaseStudies.Case kase : study.cases()) {
                    for (int run = 1; run <= options.repeat(); run++) {
                        results.add(runCase(study, kase, run));
                    }
                }
            }
        } finally {
            step("taking the lab down");
            lab.down(CaseStudies.LAB, Optional.empty());
        }
        DemoIndex.write(options.out().resolve(DemoIndex.FILE), results);
        step("writing " + options.out().resolve(io.vnettracer.sinks.report.DemoReport.FILE));
        io.vnettracer.sinks.report.DemoReport.load(options.out())
                .write(options.out().resolve(io.vnettracer.sinks.report.DemoReport.FILE));
        return results;
    }

    /**
     * What a run's files start with: {@code <study>-<case>}, and with {@code --repeat} the run's
     * number after it, so that no run overwrites another's.
     */
    private String filePrefix(CaseStudies.Study study, CaseStudies.Case kase, int run) {
        return study.id() + "-" + kase.id() + (options.repeat() > 1 ? "-run" + run : "");
    }

    private CaseResult runCase(CaseStudies.Study study, CaseStudies.Case kase, int run) throws Exception {
        String label = study.id() + " case " + kase.id() + (options.repeat() > 1 ? " run " + run + "/" + options.repeat() : "");
        String prefix = filePrefix(study, kase, run);
        Topology topology = kase.topology();
        step(label + ": lab up (" + topology.vms().size() + " vms"
                + (topology.hypervisor() == null ? "" : ", vCPUs on cores " + topology.hypervisor().cores() + " in "
                        + topology.hypervisor().slice() + " round-robin slices")
                + (topology.contention().isEmpty() ? "" : ", busy loops in "
                        + topology.contention().stream().map(c -> c.vm() + " on cpu " + c.cpu()).toList()) + ")");
        lab.up(topology);
        VmCommands vms = new VmCommands(topology, cgroupRoot());
        LabNames names = topology.names();
        String server = addressOf(topology, study.serverVm());
        String client = addressOf(topology, study.clientVm());
        warmUpNeighbours(vms, study, server, client);

        List<Workload> running = new ArrayList<>();
        try {
            running.add(Workload.start("sockperf server", vms.inVm(study.serverVm(), null,
                    List.of("sockperf", "server", "-i", server, "-p", String.valueOf(CaseStudies.SOCKPERF_PORT)))));
            for (CaseStudies.Load load : kase.loads()) {
                running.add(Workload.start("iperf3 server", vms.inVm(load.toVm(), null,
                        List.of("iperf3", "-s", "-p", String.valueOf(load.port())))));
            }
            Thread.sleep(700);

            TracingScript script = script(study, names);
            ProbeCatalog catalog = catalog(script);
            var reasons = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
            JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults()
                    .withDropReasonNames(code -> reasons.getOrDefault((long) code, "reason " + code)));
            Summary summary;
            SockperfResult sockperf;
            // sockperf's own log is a report with rows in it; the demo keeps a clean CSV of it instead.
            Path fullLog = options.out().resolve(prefix + "-sockperf-full-log.txt");
            String messagesFile = prefix + "-sockperf-messages.csv";
            RoundTrips roundTrips = new RoundTrips(probeId(script, "app_tx"), probeId(script, "reply_rx"),
                    CaseStudies.SOCKPERF_PORT);
            Evidence evidence;
            try (TraceSession session = TraceSession.start(script, FilterCompiler.PCAP, e -> {
                joiner.onEvent(e);
                roundTrips.onEvent(e);
            }, SessionOptions.DEFAULT); EvidenceCollector collector = EvidenceCollector.start(script)) {
                for (CaseStudies.Load load : kase.loads()) {
                    step(label + ": iperf3 " + load.fromVm() + " -> " + load.toVm());
                    List<String> iperf = new ArrayList<>(List.of("iperf3", "-c", addressOf(topology, load.toVm()),
                            "-p", String.valueOf(load.port()), "-t", String.valueOf(options.seconds() + 3)));
                    if (topology.switchSpec().isOvs()) {
                        iperf.addAll(List.of("-b", OVS_LOAD_RATE));
                    }
                    running.add(Workload.start("iperf3 client", vms.inVm(load.fromVm(), null, iperf)));
                }
                if (!kase.loads().isEmpty()) {
                    Thread.sleep(1000);
                }
                step(label + ": sockperf ping-pong " + study.clientVm() + " -> " + study.serverVm() + " for "
                        + options.seconds() + " s, traced");
                Workload ping = Workload.start("sockperf client", vms.inVm(study.clientVm(), null, List.of(
                        "sockperf", "ping-pong", "-i", server, "-p", String.valueOf(CaseStudies.SOCKPERF_PORT),
                        "-t", String.valueOf(options.seconds()), "--mps", String.valueOf(options.messagesPerSecond()),
                        "-m", "64", "--full-log", fullLog.toString())));
                running.add(ping);
                String report = ping.awaitOutput(options.seconds() + 30L);
                Files.writeString(options.out().resolve(prefix + "-sockperf.txt"), report);
                RuntimeException unusable = null;
                SockperfResult parsed = null;
                try {
                    parsed = SockperfResult.parse(report);
                } catch (RuntimeException e) {
                    unusable = e;
                }
                Thread.sleep(300);
                evidence = collector.finish();
                // The probes' clock (CLOCK_MONOTONIC, as System.nanoTime on Linux) as they stop: a message
                // sent long before is lost, not in flight, even when nothing was traced after it.
                long endOfTrace = System.nanoTime();
                session.close();
                joiner.flush(endOfTrace);
                summary = joiner.summary(session::lostEvents);
                if (unusable != null) {
                    // A UDP ping-pong stalls for good on one lost message: say where the trace saw it go.
                    throw new IllegalStateException(label + ": sockperf gave no result (" + unusable.getMessage().strip()
                            .lines().filter(l -> l.contains("Messages=") || l.contains("No valid")).toList()
                            + "); the trace saw: " + lossesOf(summary, client, server), unusable);
                }
                sockperf = parsed;
            }
            Summary.Flow request = flow(summary, client, server, CaseStudies.SOCKPERF_PORT, true);
            Summary.Flow reply = flow(summary, server, client, CaseStudies.SOCKPERF_PORT, false);
            if (request == null) {
                throw new IllegalStateException(label + ": the trace saw no sockperf request flow; summary flows: " + summary.flows());
            }
            // The request's way is the case study's question; the loads' and replies' flows are context.
            List<Finding> diagnosis = Diagnoser.diagnose(summary, evidence).stream()
                    .filter(f -> f.flow().equals(request.key().toString())).toList();
            String file = prefix + ".json";
            new JsonSummaryWriter().write(summary, diagnosis, options.out().resolve(file));
            MessageLog messages = SockperfLog.read(fullLog);
            RoundTrips.Figures figures = roundTrips.align(messages);
            messages.withTracer(figures.perMessageUs()).write(options.out().resolve(messagesFile));
            Files.delete(fullLog);
            CaseResult result = new CaseResult(study, kase, run, file, messagesFile, summary, request, reply, sockperf,
                    figures, diagnosis);
            step(label + ": " + DemoTables.oneLine(result));
            return result;
        } finally {
            running.forEach(Workload::close);
        }
    }

    /** The sockperf flows' losses, by segment, and the trace's drops: where a stalled ping-pong's message went. */
    private static String lossesOf(Summary summary, String client, String server) {
        List<String> out = new ArrayList<>();
        for (Summary.Flow f : summary.flows()) {
            boolean request = f.src().equals(client) && f.dst().equals(server) && f.dport() == CaseStudies.SOCKPERF_PORT;
            boolean reply = f.src().equals(server) && f.dst().equals(client) && f.sport() == CaseStudies.SOCKPERF_PORT;
            if (!request && !reply) continue;
            out.add((request ? "request" : "reply") + " sent " + f.sent() + " received " + f.received() + " lost " + f.lost()
                    + " unaccounted " + f.unaccounted() + " in flight " + f.inFlight());
            for (Summary.Segment g : summary.segments()) {
                if (g.flow().equals(f.key().toString()) && (g.lost() > 0 || g.unaccounted() > 0)) {
                    out.add("  " + g.from() + " > " + g.to() + ": lost " + g.lost() + ", unaccounted " + g.unaccounted());
                }
            }
        }
        summary.drops().forEach(d -> out.add("drop at " + d.probeOrPoint() + ": " + d.reason() + " x" + d.count()));
        return String.join("; ", out);
    }

    /** Probes at both sockets both ways, both VM interfaces and both switch ports, and drops at the server. */
    static TracingScript script(CaseStudies.Study study, LabNames names) {
        String c = names.vmNamespace(study.clientVm());
        String s = names.vmNamespace(study.serverVm());
        String sw = names.switchNamespace();
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put("app_tx", "sock:" + c + ":send");
        specs.put("client_out", "dev:" + c + "/" + LabNames.VM_INTERFACE + ":egress");
        specs.put("switch_in", "dev:" + sw + "/" + names.port(study.clientVm()) + ":ingress");
        specs.put("switch_out", "dev:" + sw + "/" + names.port(study.serverVm()) + ":egress");
        specs.put("server_in", "dev:" + s + "/" + LabNames.VM_INTERFACE + ":ingress");
        specs.put("app_rx", "sock:" + s + ":recv");
        specs.put("reply_tx", "sock:" + s + ":send");
        specs.put("reply_rx", "sock:" + c + ":recv");
        specs.put("drops", "drops:" + s);
        List<ProbeDefinition> probes = new ArrayList<>();
        specs.forEach((name, spec) -> probes.add(ProbeDefinition.recording(name, ProbeSpecParser.parse(spec))));
        return new TracingScript(probes, "udp and port " + CaseStudies.SOCKPERF_PORT, IdentityMode.TAG);
    }

    private static int probeId(TracingScript script, String name) {
        for (int id = 0; id < script.probes().size(); id++) {
            if (script.probes().get(id).name().equals(name)) {
                return id;
            }
        }
        throw new IllegalArgumentException("no probe " + name);
    }

    private static ProbeCatalog catalog(TracingScript script) {
        ProbeCatalog catalog = new ProbeCatalog();
        for (int id = 0; id < script.probes().size(); id++) {
            ProbeDefinition p = script.probes().get(id);
            catalog.probeFromSpec(id, p.name(), p.spec().text());
        }
        return catalog;
    }

    private static Summary.Flow flow(Summary summary, String src, String dst, int port, boolean toPort) {
        return summary.flows().stream()
                .filter(f -> f.src().equals(src) && f.dst().equals(dst) && (toPort ? f.dport() == port : f.sport() == port))
                .max(java.util.Comparator.comparingLong(Summary.Flow::sent))
                .orElse(null);
    }

    /** One datagram each way, so no measured packet waits for ARP. */
    private static void warmUpNeighbours(VmCommands vms, CaseStudies.Study study, String server, String client) {
        for (String[] way : new String[][] {{study.clientVm(), server}, {study.serverVm(), client}}) {
            Workload w = Workload.start("neighbour warm-up", vms.inVm(way[0], null, List.of("bash", "-c",
                    "exec 3>/dev/udp/" + way[1] + "/9; printf x >&3 || true")));
            w.awaitOutput(10);
        }
    }

    private static String addressOf(Topology topology, String vm) {
        String cidr = topology.vm(vm).orElseThrow().address();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    private static Path cgroupRoot() {
        return MountTable.ofCurrentProcess().firstOfType("cgroup2").map(m -> Path.of(m.mountPoint()))
                .orElseThrow(() -> new IllegalStateException("the demo needs the cgroup v2 hierarchy mounted"));
    }

    private void step(String line) {
        options.progress().println("demo: " + line);
        options.progress().flush();
    }
}
