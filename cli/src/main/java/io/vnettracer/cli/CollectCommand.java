package io.vnettracer.cli;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.cli.control.CollectorLiveProbes;
import io.vnettracer.cli.control.ControlHandler;
import io.vnettracer.cli.control.ControlServer;
import io.vnettracer.cli.control.RunDirectory;
import io.vnettracer.cli.trace.ProbeRow;
import io.vnettracer.cli.trace.SummaryTables;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.remote.collect.Collector;
import io.vnettracer.remote.collect.CollectorState;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.json.JsonSummaryWriter;
import io.vnettracer.sinks.output.OutputFile;
import io.vnettracer.remote.tls.NodeName;
import io.vnettracer.sinks.pcapng.PcapngSink;
import io.vnettracer.store.StoreSink;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One trace over many agents, joined into one summary (docs/REMOTE.md). */
@Command(name = "collect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Pushes each agent its part of a script (probes named NODE/NAME), keeps every agent's records in a",
            "durable log under --state, and when --duration has passed or on Ctrl-C stops the agents and prints",
            "the flows, segments and losses of all nodes joined as one trace (and writes --json). Started again",
            "with the same --state it resumes the trace the agents still hold.",
            "Exit codes: 0 ok, 1 failure, 2 bad input (nothing is left attached)."
        })
final class CollectCommand implements Callable<Integer> {
    private static final long SHUTDOWN_GRACE_SECONDS = 90;

    @Option(names = "--agent", required = true, paramLabel = "NODE=HOST:PORT", description = "An agent (repeatable).")
    private List<String> agents = new ArrayList<>();

    @Option(names = "--tls-dir", required = true, paramLabel = "DIR", description = "ca.pem and the collector's NAME.pem, NAME.key.")
    private Path tlsDir;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = TlsFiles.DEFAULT_COLLECTOR,
            description = "The collector's certificate name (default ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--script", required = true, paramLabel = "FILE", description = "The script, probes named NODE/NAME.")
    private Path script;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "Durable logs and the trace's id.")
    private Path state;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this long; default: until Ctrl-C.")
    private Duration duration;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary as JSON (docs/JOURNEYS.md).")
    private Path json;

    @Option(names = "--store", paramLabel = "FILE.duckdb",
            description = "Also write every event, journey, flow and segment of the joined trace into a new DuckDB file"
                    + " (docs/STORE.md); query it with 'vnettracer sql'.")
    private Path store;

    @Option(names = "--pcapng", paramLabel = "FILE", description = "Also write every record as a packet (docs/PCAPNG.md).")
    private Path pcapng;

    @Option(names = "--force", description = "Replace --json, --store, --pcapng files that exist; without it they are refused at the start.")
    private boolean force;

    @Option(names = "--quiet", description = "No tables (--json, --store, --pcapng are still written).")
    private boolean quiet;

    @Option(names = "--run-dir", hidden = true, description = "Where the control socket goes (tests).")
    private Path runDir = RunDirectory.DEFAULT;

    @Spec
    private CommandSpec spec;

    private OutputFile jsonOutput;
    private OutputFile storeOutput;
    private OutputFile pcapngOutput;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Collector.Agent> list = parseAgents();
        // The files are written at the end, from the durable logs; refuse now what would fail then.
        jsonOutput = CheckedOutput.of("--json", json, force);
        storeOutput = store == null ? null : CheckedOutput.check(OutputFile.of("--store", store, force).regularOnly());
        pcapngOutput = CheckedOutput.of("--pcapng", pcapng, force);
        TracingScript tracing;
        try {
            tracing = ScriptParser.parse(script);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        Collector collector;
        try {
            collector = Collector.start(tracing, new Collector.Options(list, new TlsFiles(tlsDir, name),
                    new CollectorState(state), dropReasonNames()), line -> {
                        err.println("vnettracer collect: " + line);
                        err.flush();
                    });
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            stop.countDown();
            try {
                finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.nanoTime();
        ControlServer control = startControl(collector, err);
        try {
            if (duration == null) {
                stop.await();
            } else {
                stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (control != null) {
                control.close(); // no changes while the agents stop
                control = null;
            }
            Collector.Result result = collector.finish(this::openSinks);
            return report(result, Duration.ofNanos(System.nanoTime() - started), out, err);
        } finally {
            if (control != null) {
                control.close();
            }
            collector.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for finished
            }
        }
    }

    /** The socket {@code vnettracer ctl --pid PID} talks to; without it the trace still runs. */
    private ControlServer startControl(Collector collector, PrintWriter err) {
        try {
            Path socket = new RunDirectory(runDir).prepare();
            ControlServer server = ControlServer.start(socket, new ControlHandler(new CollectorLiveProbes(collector)),
                    line -> {
                        synchronized (err) {
                            err.println("vnettracer collect: " + line);
                            err.flush();
                        }
                    });
            err.println("vnettracer collect: change it live with 'vnettracer ctl --pid " + ProcessHandle.current().pid()
                    + " list|add|remove|filter|sample' on NODE/NAME probes (" + socket + ")");
            err.flush();
            return server;
        } catch (UncheckedIOException e) {
            err.println("vnettracer collect: live control is off: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    private int report(Collector.Result result, Duration elapsed, PrintWriter out, PrintWriter err) {
        int code = Main.EXIT_OK;
        if (!quiet) {
            List<ProbeRow> rows = result.summary().probes().stream()
                    .map(p -> new ProbeRow(p.name(), p.spec(), p.events(), p.lost())).toList();
            out.print(SummaryTables.render("vnettracer collect", result.summary(), rows, result.undecodable(), elapsed,
                    Integer.MAX_VALUE));
            out.println();
            out.println("nodes (clock offset: node clock - collector clock; lost = ring buffer + spool):");
            for (Collector.NodeReport n : result.nodes()) {
                out.printf("  %-12s %-22s offset %+,d ns ± %,d ns  batches %d  records %d  ring lost %d  spool dropped %d  ack %d us mean, %d us max%n",
                        n.node(), n.address(), n.clock().offsetNanos(), n.clock().uncertaintyNanos(), n.batches(), n.records(),
                        n.ringLost(), n.spoolDropped(), n.meanAckNanos() / 1000, n.maxAckNanos() / 1000);
            }
            long worst = result.nodes().stream().mapToLong(n -> n.clock().uncertaintyNanos()).max().orElse(0);
            if (result.nodes().size() > 1) {
                out.printf("note: a cross-node segment's mean is uncertain by the sum of its two nodes' clock uncertainties (up to %,d ns"
                        + " here); where that exceeds a hop's latency, sightings on two nodes can swap order within a journey"
                        + " (counts and drop points follow the script's order and are not affected; docs/REMOTE.md, Clocks)%n", 2 * worst);
            }
            out.flush();
        }
        if (json != null) {
            try {
                new JsonSummaryWriter().write(result.summary(), null, jsonOutput);
            } catch (UncheckedIOException e) {
                err.println("vnettracer collect: " + e.getMessage());
                code = Main.EXIT_FAILURE;
            }
        }
        err.flush();
        return code;
    }

    /**
     * The sinks of the final replay, for the collector's catalog: node/name probes, collector-side ids;
     * {@code wallOffset} is the reference node's, whose clock the replay's timestamps are on.
     */
    private List<TraceSink> openSinks(ProbeCatalog catalog, long wallOffset) {
        List<TraceSink> sinks = new ArrayList<>();
        if (store != null) {
            sinks.add(StoreSink.forImport(storeOutput, catalog, dropReasonNames(), wallOffset).origin("source", "vnettracer collect"));
        }
        if (pcapng != null) {
            sinks.add(new PcapngSink(pcapngOutput, catalog, wallOffset));
        }
        return sinks;
    }

    private List<Collector.Agent> parseAgents() {
        List<Collector.Agent> out = new ArrayList<>();
        for (String a : agents) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new BadInputException("--agent " + a + ": give NODE=HOST:PORT, e.g. vm1=10.0.0.5:7443");
            }
            String node = a.substring(0, eq);
            try {
                NodeName.require("--agent " + a + ": node", node); // it names the node's log in --state
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            AgentCommand.address(a.substring(eq + 1));
            if (out.stream().anyMatch(x -> x.node().equals(node))) {
                throw new BadInputException("--agent " + a + ": node '" + node + "' is given twice");
            }
            out.add(new Collector.Agent(node, a.substring(eq + 1)));
        }
        return out;
    }

    private static IntFunction<String> dropReasonNames() {
        try {
            Map<Long, String> names = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
            return code -> names.get((long) code);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
