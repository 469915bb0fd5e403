package io.vnettracer.cli;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.netns.NetNamespaceException;
import io.vnettracer.cli.control.ControlHandler;
import io.vnettracer.cli.control.ControlServer;
import io.vnettracer.cli.control.LiveProbes;
import io.vnettracer.cli.control.RunDirectory;
import io.vnettracer.cli.trace.JoiningConsumer;
import io.vnettracer.cli.trace.LiveView;
import io.vnettracer.cli.trace.ProbeRow;
import io.vnettracer.cli.trace.ScriptAssembly;
import io.vnettracer.cli.trace.AggregatingConsumer;
import io.vnettracer.cli.trace.SummaryTables;
import io.vnettracer.cli.trace.TraceFigures;
import io.vnettracer.journey.aggregate.AggregateSummaryBuilder;
import io.vnettracer.export.otlp.ClockOffset;
import io.vnettracer.export.otlp.OtlpHeaders;
import io.vnettracer.export.otlp.OtlpSink;
import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.export.prometheus.PrometheusSink;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.kafka.KafkaTopics;
import io.vnettracer.kafka.KafkaTraceSink;
import io.vnettracer.kafka.KafkaTransportException;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.probe.filter.FilterException;
import io.vnettracer.session.ProbeStatus;
import io.vnettracer.session.SessionException;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.WallClock;
import io.vnettracer.sinks.pcapng.PcapngSink;
import io.vnettracer.store.StoreSink;
import io.vnettracer.sinks.events.EventFileWriter;
import io.vnettracer.sinks.json.JsonSummaryWriter;
import io.vnettracer.sinks.output.OutputFile;
import io.vnettracer.sinks.output.OutputFileException;
import io.vnettracer.diagnose.EvidenceCollector;
import io.vnettracer.journey.diagnosis.DiagnosisText;
import io.vnettracer.journey.diagnosis.Diagnoser;
import io.vnettracer.journey.diagnosis.Finding;
import io.vnettracer.worker.WorkerFailure;
import io.vnettracer.worker.WorkerFailures;
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

/** Attaches a script's probes, shows journeys live, and reports them when the trace ends. */
@Command(name = "trace",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Attaches probes (from a script file and/or --probe), joins their events into journeys and shows",
            "flows, segments and losses every second until --duration has passed or Ctrl-C; then prints the",
            "summary once more and writes --json. Other terminals change it live with 'vnettracer ctl'.",
            "Exit codes: 0 ok, 1 tracing failed (e.g. a thread of the trace failed: the trace stops at once and",
            "reports what it joined so far), 2 bad input or missing privileges (nothing is left attached)."
        },
        footer = {
            "",
            "Probes (--probe NAME=SPEC; docs/TRACE.md):",
            "  dev:[NS/]IFACE:ingress|egress   a device's TCX (or tc) hook, e.g. dev:vm0/eth0:egress",
            "  sock:[NS]:send|recv             the sockets of a namespace: what they hand to IP, what the application reads",
            "  kernel:TRACEPOINT[:[NS/]IFACE]  a packet tracepoint, e.g. kernel:netif_receive_skb:vm1/eth0",
            "  drops[:NS]                      kfree_skb: drops with the kernel's reason",
            "Filters are tcpdump's language (docs/FILTERS.md). --id tag changes packets: 8 bytes at the end of",
            "each UDP datagram (removed before a traced receiver) and a TCP option; fingerprint (default) changes nothing."
        })
class TraceCommand implements Callable<Integer> {
    /** How long a Ctrl-C waits for the summary to be written before the JVM goes anyway. */
    private static final long SHUTDOWN_GRACE_SECONDS = 20;
    /**
     * How often the live loop looks for a new summary: the consumer publishes one a second, and one
     * as soon as a new flow appears (SummaryPacing), which the view and the sinks should show at once.
     */
    private static final long WATCH_NANOS = 20_000_000L;
    /** The view is redrawn at least this often even when no summary comes (the drain thread stalled). */
    private static final long VIEW_PERIOD_NANOS = 2_000_000_000L;

    @Option(names = "--script", paramLabel = "FILE", description = "A tracing script (docs/SCRIPTS.md).")
    private Path script;

    @Option(names = "--probe", paramLabel = "NAME=SPEC",
            description = "Adds a probe, e.g. rx=kernel:netif_receive_skb:eth0 (repeatable; after the script's).")
    private List<String> probes = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "EXPR", description = "The global filter (replaces the script's).")
    private String filter;

    @Option(names = "--id", paramLabel = "tag|fingerprint", description = "Packet identity (replaces the script's; default fingerprint).")
    private String identity;

    /**
     * Ways of aggregate mode's sightings table: --max-journeys when given, else 64 Ki. User space scans
     * the whole table once a second (32 bytes a way: 2 MB, a few ms; 256 Ki ways cost 4-13 % of a core
     * idle, measured), so the default is smaller than record mode's joiner.
     */
    private int aggregateSightings(JoinerConfig config) {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--max-journeys");
        return given ? config.maxJourneys() : AGGREGATE_DEFAULT_SIGHTINGS;
    }

    private static final int AGGREGATE_DEFAULT_SIGHTINGS = 1 << 16;

    /** How often an aggregate trace's drain thread wakes (no records come: 50 times a second, not 200). */
    private static final int AGGREGATE_POLL_MILLIS = 20;

    /** How the probes report: a record per packet joined here, or figures added up in the kernel. */
    enum Mode { record, aggregate }

    @Option(names = "--mode", paramLabel = "record|aggregate", defaultValue = "record",
            description = "record (default): every probe writes a record per packet, joined into journeys here (needed by"
                    + " --events, --pcapng, --kafka, --otlp; --store's events and journeys). aggregate: probes follow packets and add up flows,"
                    + " segment delays (buckets within " + io.vnettracer.event.DelayBuckets.RESOLUTION_PERCENT
                    + " %%), jitter and drops in the kernel; nothing per packet reaches user space (docs/JOURNEYS.md).")
    private Mode mode = Mode.record;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this long (500ms, 10s, 5m, 1h); default: until Ctrl-C.")
    private Duration duration;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary as JSON (docs/JOURNEYS.md) at the end.")
    private Path json;

    @Option(names = "--events", paramLabel = "FILE", description = "Write every raw event (docs/EVENTS_FILE.md).")
    private Path events;

    @Option(names = "--prometheus", paramLabel = "[HOST:]PORT",
            description = "Serve flow, segment and probe metrics at http://HOST:PORT/metrics while tracing (host default "
                    + ListenAddress.DEFAULT_HOST + "; docs/EXPORTS.md).")
    private String prometheus;

    @Option(names = "--otlp", paramLabel = "URL",
            description = "Export journeys as OpenTelemetry traces to this OTLP/HTTP receiver, e.g. http://127.0.0.1:4318"
                    + " (/v1/traces is added when the URL has no path; docs/EXPORTS.md).")
    private String otlp;

    @Option(names = "--otlp-headers-file", paramLabel = "FILE",
            description = "Headers for --otlp, one 'Name: value' a line (credentials: never on the command line, which"
                    + " other users can read); also taken from $" + OtlpHeaders.ENVIRONMENT + " (docs/EXPORTS.md).")
    private Path otlpHeadersFile;

    @Option(names = "--otlp-sample", paramLabel = "N", defaultValue = "1",
            description = "Export 1 journey in N to --otlp (default ${DEFAULT-VALUE}: all).")
    private int otlpSample;

    @Option(names = "--store", paramLabel = "FILE.duckdb",
            description = "Write every event, journey, flow and segment into a new DuckDB file (docs/STORE.md); query it with 'vnettracer sql'.")
    private Path store;

    @Option(names = "--pcapng", paramLabel = "FILE", description = "Write every record as a packet with rebuilt headers, for Wireshark (docs/PCAPNG.md).")
    private Path pcapng;

    @Option(names = "--diagnose", description = "Name the segment that dominates each flow's latency or loss and its likely"
            + " cause, with the kernel's evidence collected meanwhile: qdiscs behind egress probes, run-queue waits"
            + " before socket probes (docs/DIAGNOSE.md); printed last and written to --json as \"diagnosis\".")
    boolean diagnose;

    @Option(names = "--force", description = "Replace output files that exist (--json, --events, --pcapng, --store);"
            + " without it they are refused before anything is attached.")
    private boolean force;

    @Option(names = "--dump-programs", description = "Print each probe's program before tracing.")
    private boolean dumpPrograms;

    @Option(names = "--ring-size", paramLabel = "SIZE", converter = RingSizeConverter.class, defaultValue = "16M",
            description = "The ring buffer shared by the probes, a power of two (default ${DEFAULT-VALUE}).")
    private int ringBytes;

    @Option(names = "--quiet", description = "No live view and no final tables (--json and --events are still written).")
    private boolean quiet;

    @Option(names = "--legacy-tc", description = "Attach device probes as tc clsact filters even where TCX exists "
            + "(kernels before 6.6 use them anyway).")
    private boolean legacyTc;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "Also publish every event to Kafka (host:port[,...]) for collect-kafka (docs/KAFKA.md).")
    private String kafka;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC", defaultValue = KafkaTopics.DEFAULT_TOPIC,
            description = "The events topic (default ${DEFAULT-VALUE}); its catalog is TOPIC.catalog.")
    private String kafkaTopic;

    @Option(names = "--kafka-partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of the events topic when this trace creates it (default ${DEFAULT-VALUE}).")
    private int kafkaPartitions;

    @Option(names = "--node", paramLabel = "NAME",
            description = "This node's name in probe names on Kafka (node/probe); default: the host name.")
    private String node;

    @picocli.CommandLine.Mixin
    private JoinerOptions joinerOptions;

    @Option(names = "--run-dir", hidden = true, description = "Where the control socket goes (tests).")
    private Path runDir = RunDirectory.DEFAULT;

    @Spec
    private CommandSpec spec;

    /** Sinks a test adds to those the options ask for. */
    private final List<TraceSink> addedSinks = new ArrayList<>();

    /** Tests: {@code sink} gets the trace's records too, after the sinks the options open. */
    void addSink(TraceSink sink) {
        addedSinks.add(sink);
    }

    private OutputFile jsonOutput;
    private OutputFile eventsOutput;
    private OutputFile storeOutput;
    private OutputFile pcapngOutput;

    @Override
    public Integer call() {
        TracingScript tracing = assemble();
        requireOneMode(tracing);
        if (mode == Mode.aggregate) {
            tracing = aggregating(tracing);
        }
        FilterCompiler filters = FilterCompiler.PCAP;
        checkFilters(tracing, filters);
        JoinerConfig joinerConfig = joinerOptions.apply(JoinerConfig.defaults());
        try {
            TraceSession.requireProbeCountWithinLimit(tracing);
        } catch (SessionException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        checkOutputs();
        KernelPrivileges.require("trace");

        ProbeCatalog catalog = catalog(tracing);
        JourneyJoiner joiner = new JourneyJoiner(catalog, joinerConfig.withDropReasonNames(dropReasonNames()));
        EventFileWriter eventFile = openEvents();
        List<TraceSink> sinks;
        try {
            sinks = openSinks(catalog);
        } catch (RuntimeException e) {
            discardEvents(eventFile);
            throw e;
        }
        // Every thread of the trace reports its failure here; the first one ends the trace.
        WorkerFailures failures = new WorkerFailures();
        sinks.forEach(s -> s.reportFailuresTo(failures));
        TraceFigures consumer = mode == Mode.aggregate
                ? new AggregatingConsumer(new AggregateSummaryBuilder(catalog, dropReasonNames()))
                : new JoiningConsumer(joiner, eventFile, sinks);
        // Aggregate mode has no records to drain: its thread only looks for new flows and builds summaries.
        int pollMillis = mode == Mode.aggregate ? AGGREGATE_POLL_MILLIS : SessionOptions.DEFAULT.pollMillis();
        SessionOptions options = new SessionOptions(ringBytes, pollMillis, legacyTc)
                .withAggregate(new SessionOptions.Aggregate(joinerConfig.maxFlows(), aggregateSightings(joinerConfig),
                        joinerConfig.timeoutNanos()));
        TraceSession session;
        try {
            session = TraceSession.start(tracing, filters, consumer, options);
        } catch (RuntimeException e) {
            discardEvents(eventFile);
            closeQuietly(sinks);
            discardSinkFiles(sinks);
            throw e instanceof SessionException s ? classify(s) : e;
        }
        consumer.attach(session);
        session.reportFailuresTo(failures);
        EvidenceCollector evidence = null;
        if (diagnose) {
            try {
                evidence = EvidenceCollector.start(tracing);
                evidence.reportFailuresTo(failures);
            } catch (RuntimeException e) {
                session.close();
                discardEvents(eventFile);
                closeQuietly(sinks);
                discardSinkFiles(sinks);
                throw e;
            }
        }
        for (TraceSink sink : sinks) {
            if (sink instanceof PrometheusSink metrics) {
                metrics.countUndecodableFrom(session::undecodableEvents);
            }
            if (!quiet && (sink instanceof PrometheusSink || sink instanceof OtlpSink)) {
                spec.commandLine().getErr().println("vnettracer trace: exporting to " + sink.describe());
                spec.commandLine().getErr().flush();
            }
        }
        try {
            return new Run(tracing, session, consumer, eventFile, catalog, sinks, evidence, failures).run();
        } finally {
            if (evidence != null) {
                evidence.close();
            }
        }
    }

    /** Every output file is checked before anything is attached: --json, written last, must not fail after the trace. */
    private void checkOutputs() {
        jsonOutput = json == null ? null : OutputFile.of("--json", json, force);
        eventsOutput = events == null ? null : OutputFile.of("--events", events, force);
        storeOutput = store == null ? null : OutputFile.of("--store", store, force).regularOnly();
        pcapngOutput = pcapng == null ? null : OutputFile.of("--pcapng", pcapng, force);
        try {
            OutputFile.checkAll(jsonOutput, eventsOutput, storeOutput, pcapngOutput);
        } catch (OutputFileException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /**
     * A script whose every probe aggregates (actions histogram) asks for aggregate mode; one that mixes
     * aggregating and recording probes is refused: a trace's figures come from one place.
     */
    private void requireOneMode(TracingScript tracing) {
        List<String> aggregating = new ArrayList<>();
        List<String> recording = new ArrayList<>();
        for (ProbeDefinition p : tracing.probes()) {
            (p.actions().contains(io.vnettracer.probe.script.Action.HISTOGRAM) ? aggregating : recording).add(p.name());
        }
        if (aggregating.isEmpty()) return;
        if (!recording.isEmpty() && mode == Mode.record) {
            throw new BadInputException("probe '" + aggregating.get(0) + "' aggregates in the kernel (actions histogram) and probe '"
                    + recording.get(0) + "' records: a trace is in one mode; give every probe 'actions histogram' or use"
                    + " --mode aggregate (every probe then aggregates)");
        }
        mode = Mode.aggregate;
    }

    /**
     * Aggregate mode: every probe aggregates in the kernel (the histogram action) and records nothing;
     * what needs records, or cannot be aggregated, is refused before anything is attached.
     */
    private TracingScript aggregating(TracingScript tracing) {
        // --store keeps working: its summary tables (probes, flows, segments, drops) are written at the end,
        // and its events and journeys tables stay empty.
        String[][] needRecords = {{"--events", events == null ? null : "x"},
                {"--pcapng", pcapng == null ? null : "x"}, {"--kafka", kafka}, {"--otlp", otlp}};
        for (String[] o : needRecords) {
            if (o[1] != null) {
                throw new BadInputException(o[0] + " writes every packet's record, and --mode aggregate makes none: use --mode record"
                        + " for " + o[0] + ", or leave " + o[0] + " out");
            }
        }
        if (tracing.identity() == io.vnettracer.probe.script.IdentityMode.TAG) {
            throw new BadInputException("--mode aggregate follows packets by fingerprint within one kernel; --id tag is for"
                    + " record mode: use --id fingerprint (the default) or --mode record");
        }
        List<ProbeDefinition> probes = new ArrayList<>();
        for (ProbeDefinition p : tracing.probes()) {
            if (p.sampleEvery() > 1) {
                throw new BadInputException("probe '" + p.name() + "' samples 1 in " + p.sampleEvery()
                        + ": --mode aggregate counts every packet in the kernel, there is nothing to sample; remove 'sample'"
                        + " or use --mode record");
            }
            probes.add(p.withActions(java.util.EnumSet.of(io.vnettracer.probe.script.Action.HISTOGRAM)));
        }
        return new TracingScript(probes, tracing.globalFilter(), tracing.identity());
    }

    private TracingScript assemble() {
        try {
            return ScriptAssembly.assemble(script, probes, filter, identity == null ? null : ScriptAssembly.identity(identity));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** Every filter is compiled once before anything is loaded, so a bad one costs no attach and detach. */
    private static void checkFilters(TracingScript tracing, FilterCompiler filters) {
        for (ProbeDefinition p : tracing.probes()) {
            try {
                filters.compile(tracing.filterOf(p));
            } catch (FilterException e) {
                throw new BadInputException("filter of probe '" + p.name() + "': " + e.render(), e);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("filter of probe '" + p.name() + "': " + e.getMessage(), e);
            }
        }
    }

    /**
     * Probe ids are given by the session in attach order, which is script order. Positions are left
     * to timestamps: all probes of one trace read one clock, and script order is only a hint.
     */
    private static ProbeCatalog catalog(TracingScript tracing) {
        ProbeCatalog catalog = new ProbeCatalog();
        List<ProbeDefinition> all = tracing.probes();
        for (int id = 0; id < all.size(); id++) {
            ProbeDefinition p = all.get(id);
            catalog.probeFromSpec(id, p.name(), p.spec().text());
        }
        return catalog;
    }

    private static IntFunction<String> dropReasonNames() {
        try {
            Map<Long, String> names = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
            return code -> names.get((long) code);
        } catch (RuntimeException e) {
            return code -> null;
        }
    }

    private EventFileWriter openEvents() {
        if (events == null) {
            return null;
        }
        try {
            return new EventFileWriter(eventsOutput);
        } catch (UncheckedIOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /**
     * The sinks the options ask for, opened before any probe is attached so that a bad address or
     * an unwritable file costs no attach. One that fails to open closes those opened before it.
     */
    private List<TraceSink> openSinks(ProbeCatalog catalog) {
        List<TraceSink> sinks = new ArrayList<>();
        // Taken once, before any probe is attached: records' kernel times become wall times with it.
        long wallOffset = WallClock.realtimeMinusMonotonicNanos();
        try {
            try {
                if (store != null) {
                    sinks.add(new StoreSink(storeOutput, catalog, dropReasonNames(), wallOffset));
                }
                if (pcapng != null) {
                    sinks.add(new PcapngSink(pcapngOutput, catalog, wallOffset));
                }
            } catch (UncheckedIOException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            if (prometheus != null) {
                ListenAddress address;
                try {
                    address = ListenAddress.parse(prometheus);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--prometheus " + e.getMessage(), e);
                }
                try {
                    sinks.add(PrometheusSink.start(address, catalog));
                } catch (UncheckedIOException e) {
                    throw new BadInputException("--prometheus: " + e.getMessage(), e);
                }
            }
            if (otlp == null && otlpSample != 1) {
                throw new BadInputException("--otlp-sample needs --otlp URL");
            }
            if (otlp == null && otlpHeadersFile != null) {
                throw new BadInputException("--otlp-headers-file needs --otlp URL");
            }
            if (otlp != null) {
                try {
                    Map<String, String> headers = new java.util.LinkedHashMap<>(OtlpHeaders.fromEnvironment(System.getenv(OtlpHeaders.ENVIRONMENT)));
                    if (otlpHeadersFile != null) {
                        headers.putAll(OtlpHeaders.fromFile(otlpHeadersFile));
                    }
                    sinks.add(new OtlpSink(otlp, headers, otlpSample, catalog, JoinerConfig.defaults().maxHops(), dropReasonNames(),
                            ClockOffset.measure(), OtlpSink.DEFAULT_QUEUE));
                } catch (IllegalArgumentException | UncheckedIOException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            }
            if (kafka != null) {
                if (kafkaPartitions < 1) {
                    throw new BadInputException("--kafka-partitions must be at least 1, not " + kafkaPartitions);
                }
                String nodeName = node != null ? node : hostName();
                try {
                    KafkaTraceSink.Options o = KafkaTraceSink.Options.of(kafka, kafkaTopic, nodeName);
                    sinks.add(new KafkaTraceSink(new KafkaTraceSink.Options(o.bootstrap(), o.topic(), o.node(), kafkaPartitions,
                            o.recordsPerBatch(), o.poolBatches(), o.maxBatchAgeMillis(), 15_000), catalog, dropReasonMap()));
                } catch (KafkaTransportException | org.apache.kafka.common.KafkaException e) {
                    throw new BadInputException("--kafka " + kafka + ": " + e.getMessage(), e);
                }
            }
            sinks.addAll(addedSinks);
        } catch (RuntimeException e) {
            closeQuietly(sinks);
            discardSinkFiles(sinks);
            throw e;
        }
        return sinks;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }

    private static Map<Integer, String> dropReasonMap() {
        try {
            Map<Integer, String> names = new java.util.HashMap<>();
            Btf.kernel().enumeration("skb_drop_reason").namesByValue().forEach((code, name) -> names.put(code.intValue(), name));
            return names;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static void closeQuietly(List<TraceSink> sinks) {
        for (TraceSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the trace did not start; the start's error is the one to report
            }
        }
    }

    /**
     * The trace did not start: the files its sinks created hold nothing, and a rerun must not find
     * them. Only files this trace created (a store closed unfinished removes its own): never a
     * device, nor a file that was refused because it exists.
     */
    private void discardSinkFiles(List<TraceSink> opened) {
        if (pcapngOutput != null) {
            try {
                pcapngOutput.deleteIfCreated();
            } catch (OutputFileException ignored) {
                // the trace did not start; the start's error is the one to report
            }
        }
    }

    private void discardEvents(EventFileWriter eventFile) {
        if (eventFile == null) {
            return;
        }
        try {
            eventFile.close();
            eventsOutput.deleteIfCreated();
        } catch (UncheckedIOException ignored) {
            // the trace did not start; the start's error is the one to report
        }
    }

    /** A start that failed on the user's input (no such interface or namespace, a bad filter) exits 2. */
    private static RuntimeException classify(SessionException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NetNamespaceException || t instanceof IllegalArgumentException
                    || t instanceof io.vnettracer.bpf.btf.BtfException
                    || t instanceof UnsupportedOperationException) {
                return new BadInputException(e.getMessage(), e);
            }
        }
        return e;
    }

    /** One started trace: the live loop, then the end, however it comes. */
    private final class Run {
        private final TracingScript tracing;
        private final TraceSession session;
        private final TraceFigures consumer;
        private final EventFileWriter eventFile;
        private final PrintWriter out = spec.commandLine().getOut();
        private final PrintWriter err = spec.commandLine().getErr();
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);
        private final long started = System.nanoTime();

        private final ProbeCatalog catalog;
        private final List<TraceSink> sinks;

        private final EvidenceCollector evidence;
        private final WorkerFailures failures;

        Run(TracingScript tracing, TraceSession session, TraceFigures consumer, EventFileWriter eventFile,
            ProbeCatalog catalog, List<TraceSink> sinks, EvidenceCollector evidence, WorkerFailures failures) {
            this.evidence = evidence;
            this.failures = failures;
            failures.forwardTo(failure -> stop.countDown());
            this.catalog = catalog;
            this.sinks = sinks;
            this.tracing = tracing;
            this.session = session;
            this.consumer = consumer;
            this.eventFile = eventFile;
        }

        int run() {
            Thread hook = Thread.ofPlatform().name("vnettracer-shutdown").unstarted(this::onSignal);
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                ControlServer control = null;
                List<ProbeStatus> last = List.of();
                try {
                    checkIds(session.status());
                    if (dumpPrograms) {
                        dump();
                    }
                    control = startControl();
                    live();
                } finally {
                    if (control != null) {
                        control.close();
                    }
                    consumer.closing();
                    last = statusOrEmpty();
                    session.close();
                }
                Summary summary;
                try {
                    summary = consumer.finish();
                } catch (RuntimeException e) {
                    if (failures.first() == null) {
                        throw e;
                    }
                    // the failure broke the joiner itself: there is nothing to report but the failure
                    reportFailure(failures.first());
                    err.println("vnettracer trace: no summary: " + e);
                    err.flush();
                    sinks.forEach(sink -> closeQuietly(List.of(sink)));
                    return Main.EXIT_FAILURE;
                }
                return report(summary, last);
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for finished, counted down above
                }
            }
        }

        /** SIGINT or SIGTERM: end the trace as if its duration had passed, and let it report. */
        private void onSignal() {
            stop.countDown();
            try {
                finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void checkIds(List<ProbeStatus> status) {
            for (int i = 0; i < status.size(); i++) {
                if (status.get(i).id() != i || !status.get(i).name().equals(tracing.probes().get(i).name())) {
                    throw new IllegalStateException("the session numbered probe '" + status.get(i).name() + "' "
                            + status.get(i).id() + ", not " + i + ": events would be joined under the wrong probe");
                }
            }
        }

        private void dump() {
            for (ProbeDefinition p : tracing.probes()) {
                out.println("; probe " + p.name() + " (" + p.spec().text() + ")");
                out.print(session.listing(p.name()));
                out.println();
            }
            String dispatchers = session.dispatcherListings();
            if (!dispatchers.isEmpty()) {
                out.print(dispatchers);
                out.println();
            }
            out.flush();
        }

        private ControlServer startControl() {
            try {
                Path socket = new RunDirectory(runDir).prepare();
                ControlServer server = ControlServer.start(socket, new ControlHandler(LiveProbes.of(session, catalog)),
                        line -> {
                            synchronized (err) {
                                err.println("vnettracer trace: " + line);
                                err.flush();
                            }
                        });
                if (!quiet) {
                    err.println("vnettracer trace: change it live with 'vnettracer ctl --pid " + ProcessHandle.current().pid()
                            + " list|add|remove|filter|sample' (" + socket + ")");
                    err.flush();
                }
                return server;
            } catch (UncheckedIOException e) {
                err.println("vnettracer trace: live control is off: " + e.getMessage());
                err.flush();
                return null;
            }
        }

        private void live() {
            LiveView view = quiet ? null : new LiveView(out, LiveView.stdoutIsTerminal());
            long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
            Summary shown = null;
            long nextRefresh = System.nanoTime() + VIEW_PERIOD_NANOS;
            try {
                while (true) {
                    long wait = Math.min(WATCH_NANOS, deadline - System.nanoTime());
                    if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    Summary latest = consumer.latest();
                    long now = System.nanoTime();
                    if (latest == shown && now < nextRefresh) {
                        continue;
                    }
                    shown = latest;
                    nextRefresh = now + VIEW_PERIOD_NANOS;
                    if (latest != null) {
                        for (TraceSink sink : sinks) {
                            sink.onSummary(latest);
                        }
                    }
                    if (view != null) {
                        view.refresh(latest, liveRows(session.status()), session.undecodableEvents(), elapsed());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private List<ProbeStatus> statusOrEmpty() {
            try {
                return session.status();
            } catch (RuntimeException e) {
                return List.of();
            }
        }

        /** One line: which thread failed and why; the trace was ended for it. */
        private void reportFailure(WorkerFailure failure) {
            long notJoined = session.eventsNotHandedOver();
            err.println("vnettracer trace: " + failure.line() + "; the trace was stopped"
                    + (notJoined > 0 ? " (" + notJoined + " events drained after it were not joined)" : ""));
        }

        private int report(Summary summary, List<ProbeStatus> last) {
            int code = Main.EXIT_OK;
            WorkerFailure failure = failures.first();
            if (failure != null) {
                reportFailure(failure);
                err.flush();
                code = Main.EXIT_FAILURE;
            }
            if (summary.flows().isEmpty() && summary.probes().stream().allMatch(p -> p.events() == 0)
                    && summary.otherFlows().sent() == 0) {
                // Exit 0 still (nothing failed), but an empty trace is usually a filter or place that misses.
                err.println("vnettracer trace: no probe saw a packet that passed its filter: check the filter"
                        + " (docs/FILTERS.md), the namespaces and interfaces the probes name, and that traffic flowed"
                        + " while tracing ('vnettracer ctl list' shows each probe's count live)");
                err.flush();
            }
            List<Finding> findings = null;
            if (evidence != null) {
                findings = Diagnoser.diagnose(summary, evidence.finish());
                evidence.problems().forEach(p -> err.println("vnettracer trace: diagnosis: could not look at " + p));
            }
            if (!quiet) {
                out.print(SummaryTables.render(summary, finalRows(summary, last), session.undecodableEvents(), elapsed(),
                        Integer.MAX_VALUE));
                if (findings != null) {
                    out.print(DiagnosisText.render(findings));
                }
                out.flush();
            }
            if (json != null) {
                try {
                    new JsonSummaryWriter().write(summary, findings, jsonOutput);
                } catch (UncheckedIOException e) {
                    err.println("vnettracer trace: " + e.getMessage());
                    code = Main.EXIT_FAILURE;
                }
            }
            for (TraceSink sink : sinks) {
                try {
                    sink.finish(summary);
                } catch (RuntimeException e) {
                    err.println("vnettracer trace: " + sink.describe() + ": " + e.getMessage());
                    code = Main.EXIT_FAILURE;
                }
                try {
                    sink.close();
                } catch (RuntimeException e) {
                    err.println("vnettracer trace: " + sink.describe() + ": " + e.getMessage());
                    code = Main.EXIT_FAILURE;
                }
            }
            if (eventFile != null) {
                try {
                    eventFile.close();
                } catch (UncheckedIOException e) {
                    err.println("vnettracer trace: " + e.getMessage());
                    code = Main.EXIT_FAILURE;
                }
            }
            err.flush();
            return code;
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - started);
        }
    }

    private static List<ProbeRow> liveRows(List<ProbeStatus> status) {
        return status.stream().map(s -> new ProbeRow(s.name(), s.spec(), s.events(), s.lost())).toList();
    }

    /** The joiner's counts for the script's probes (complete after the last drain), the session's for probes added live. */
    private static List<ProbeRow> finalRows(Summary summary, List<ProbeStatus> last) {
        List<ProbeRow> rows = new ArrayList<>();
        summary.probes().forEach(p -> rows.add(new ProbeRow(p.name(), p.spec(), p.events(), p.lost())));
        for (ProbeStatus s : last) {
            if (summary.probes().stream().noneMatch(p -> p.name().equals(s.name()))) {
                rows.add(new ProbeRow(s.name() + " (added live, not joined)", s.spec(), s.events(), s.lost()));
            }
        }
        return rows;
    }
}
