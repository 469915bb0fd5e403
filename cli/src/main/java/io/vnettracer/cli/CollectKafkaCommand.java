package io.vnettracer.cli;

import io.vnettracer.cli.trace.ProbeRow;
import io.vnettracer.cli.trace.SummaryTables;
import io.vnettracer.journey.Summary;
import io.vnettracer.kafka.KafkaCollector;
import io.vnettracer.kafka.KafkaTopics;
import io.vnettracer.kafka.KafkaTransportException;
import io.vnettracer.sinks.json.JsonSummaryWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One collector of a consumer group: joins the Kafka partitions the group gives it and reports them. */
@Command(name = "collect-kafka",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Joins the events that 'vnettracer trace --kafka' publishes. Start N of these with one --group to share",
            "the topic's partitions (each partition is joined on its own); each reports what its partitions add up",
            "to. Ends when every partition it holds has every node's end-of-trace marker, at --duration, or at Ctrl-C.",
            "Exit codes: 0 ok, 1 collecting failed, 2 bad input (no broker, no such topic)."
        })
final class CollectKafkaCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka bootstrap servers.")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = KafkaTopics.DEFAULT_TOPIC,
            description = "The events topic (default ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The consumer group of the collectors that share the work.")
    private String group;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this long (500ms, 10s, 5m, 1h); default: at the end-of-trace markers.")
    private Duration duration;

    @Option(names = "--json", paramLabel = "FILE", description = "Write this collector's summary as JSON (docs/JOURNEYS.md).")
    private Path json;

    @Option(names = "--max-probes", paramLabel = "N", defaultValue = "256", description = "Probes over all nodes (default ${DEFAULT-VALUE}).")
    private int maxProbes;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long a journey waits for more sightings, in event time (default 10s: nodes' batches "
                    + "reach a partition with different delays).")
    private Duration timeout;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Members of the group in this process, one thread each; their summaries are merged (default ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--force", description = "Replace output files that exist; without it they are refused at the start.")
    private boolean force;

    @Option(names = "--quiet", description = "No tables (--json is still written).")
    private boolean quiet;

    @Spec
    private CommandSpec spec;

    private io.vnettracer.sinks.output.OutputFile jsonOutput;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaCollector.Options o = KafkaCollector.Options.of(bootstrap, topic, group);
        o = new KafkaCollector.Options(o.bootstrap(), o.topic(), o.group(), duration, maxProbes,
                timeout == null ? o.joinerTimeoutNanos() : timeout.toNanos(), 15_000);
        if (threads < 1) throw new BadInputException("--threads must be at least 1, not " + threads);
        jsonOutput = CheckedOutput.of("--json", json, force);
        long started = System.nanoTime();
        List<KafkaCollector> collectors = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        // Ctrl-C ends the runs as the duration would, then waits for the summary to be written.
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            collectors.forEach(KafkaCollector::stop);
            try {
                reported.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return collect(o, collectors, hook, started, out, err);
        } finally {
            reported.countDown();
        }
    }

    private int collect(KafkaCollector.Options o, List<KafkaCollector> collectors, Thread hook, long started,
                        PrintWriter out, PrintWriter err) {
        List<KafkaCollector.Result> results = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) collectors.add(new KafkaCollector(o));
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalArgumentException | IllegalStateException alreadyOrShuttingDown) {
                // a second call in one JVM (tests) or a shutdown under way
            }
            List<java.util.concurrent.CompletableFuture<KafkaCollector.Result>> runs = new java.util.ArrayList<>();
            for (KafkaCollector c : collectors) {
                runs.add(java.util.concurrent.CompletableFuture.supplyAsync(c::run, r -> Thread.ofPlatform().name("collect-kafka").start(r)));
            }
            for (var run : runs) results.add(run.join());
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof KafkaTransportException || cause instanceof org.apache.kafka.common.KafkaException) {
                throw new BadInputException("--bootstrap " + bootstrap + " --topic " + topic + ": " + cause.getMessage(), cause);
            }
            throw e;
        } catch (KafkaTransportException | org.apache.kafka.common.KafkaException e) {
            throw new BadInputException("--bootstrap " + bootstrap + " --topic " + topic + ": " + e.getMessage(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
                // Ctrl-C: the hook has stopped the runs, which returned what they had
            }
            collectors.forEach(KafkaCollector::close);
        }
        KafkaCollector.Result result = results.size() == 1 ? results.get(0) : combine(results);
        Summary summary = result.merged().summary();
        KafkaCollector.Stats s = result.stats();
        if (!quiet) {
            List<ProbeRow> rows = summary.probes().stream().map(p -> new ProbeRow(p.name(), p.spec(), p.events(), p.lost())).toList();
            out.print(SummaryTables.render("vnettracer collect-kafka", summary, rows, 0, Duration.ofNanos(System.nanoTime() - started),
                    Integer.MAX_VALUE));
            out.flush();
        }
        err.printf("vnettracer collect-kafka: %d batches, %d records from %d partitions (%d ended by markers, %d taken away);"
                        + " %d bad batches, %d records of unknown nodes or probes, %d after an end marker; joiner: %s%n",
                s.batches(), s.entries(), result.partitions().size(), s.partitionsEnded(), s.partitionsRevoked(), s.badBatches(),
                s.unknownNodeEntries() + s.unknownProbeEntries(), s.afterEnd(), summary.counters());
        if (s.firstBadBatch() != null) err.println("vnettracer collect-kafka: first bad batch: " + s.firstBadBatch());
        err.flush();
        int code = Main.EXIT_OK;
        if (json != null) {
            try {
                new JsonSummaryWriter().write(summary, null, jsonOutput);
            } catch (UncheckedIOException e) {
                err.println("vnettracer collect-kafka: " + e.getMessage());
                code = Main.EXIT_FAILURE;
            }
        }
        if (s.badBatches() > 0 || s.unknownNodeEntries() + s.unknownProbeEntries() > 0) code = Main.EXIT_FAILURE;
        return code;
    }

    /** The results of several members of the group in this process, as one. */
    private static KafkaCollector.Result combine(List<KafkaCollector.Result> results) {
        List<io.vnettracer.kafka.PartialSummary> merged = new java.util.ArrayList<>(), partitions = new java.util.ArrayList<>();
        long batches = 0, entries = 0, bad = 0, afterEnd = 0, unknownNode = 0, unknownProbe = 0, first = Long.MAX_VALUE, last = 0;
        int ended = 0, revoked = 0;
        boolean byMarkers = true;
        String firstBad = null;
        for (KafkaCollector.Result r : results) {
            KafkaCollector.Stats s = r.stats();
            merged.add(r.merged());
            partitions.addAll(r.partitions());
            batches += s.batches(); entries += s.entries(); bad += s.badBatches(); afterEnd += s.afterEnd();
            unknownNode += s.unknownNodeEntries(); unknownProbe += s.unknownProbeEntries();
            ended += s.partitionsEnded(); revoked += s.partitionsRevoked(); byMarkers &= s.endedByMarkers();
            if (s.batches() > 0) { first = Math.min(first, s.firstBatchNanos()); last = Math.max(last, s.lastBatchNanos()); }
            if (firstBad == null) firstBad = s.firstBadBatch();
        }
        return new KafkaCollector.Result(io.vnettracer.kafka.SummaryMerge.merge(merged, java.util.Map.of()), List.copyOf(partitions),
                new KafkaCollector.Stats(batches, entries, bad, afterEnd, unknownNode, unknownProbe, ended, revoked, byMarkers,
                        first == Long.MAX_VALUE ? 0 : first, last, firstBad));
    }
}
