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

    @Option(names = "--quiet", description = "No tables (--json is still written).")
    private boolean quiet;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaCollector.Options o = KafkaCollector.Options.of(bootstrap, topic, group);
        o = new KafkaCollector.Options(o.bootstrap(), o.topic(), o.group(), duration, maxProbes, o.joinerTimeoutNanos(), 15_000);
        long started = System.nanoTime();
        KafkaCollector.Result result;
        try (KafkaCollector collector = new KafkaCollector(o)) {
            Thread hook = Thread.ofPlatform().unstarted(collector::stop);
            Runtime.getRuntime().addShutdownHook(hook);
            result = collector.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook has stopped the run, which returned what it had
            }
        } catch (KafkaTransportException | org.apache.kafka.common.KafkaException e) {
            throw new BadInputException("--bootstrap " + bootstrap + " --topic " + topic + ": " + e.getMessage(), e);
        }
        Summary summary = result.merged().summary();
        KafkaCollector.Stats s = result.stats();
        if (!quiet) {
            List<ProbeRow> rows = summary.probes().stream().map(p -> new ProbeRow(p.name(), p.spec(), p.events(), p.lost())).toList();
            out.print(SummaryTables.render(summary, rows, 0, Duration.ofNanos(System.nanoTime() - started), Integer.MAX_VALUE));
            out.flush();
        }
        err.printf("vnettracer collect-kafka: %d batches, %d records from %d partitions (%d ended by markers, %d taken away);"
                        + " %d bad batches, %d records of unknown nodes or probes, %d after an end marker%n",
                s.batches(), s.entries(), result.partitions().size(), s.partitionsEnded(), s.partitionsRevoked(), s.badBatches(),
                s.unknownNodeEntries() + s.unknownProbeEntries(), s.afterEnd());
        if (s.firstBadBatch() != null) err.println("vnettracer collect-kafka: first bad batch: " + s.firstBadBatch());
        err.flush();
        int code = Main.EXIT_OK;
        if (json != null) {
            try {
                new JsonSummaryWriter().write(summary, json);
            } catch (UncheckedIOException e) {
                err.println("vnettracer collect-kafka: " + e.getMessage());
                code = Main.EXIT_FAILURE;
            }
        }
        if (s.badBatches() > 0 || s.unknownNodeEntries() + s.unknownProbeEntries() > 0) code = Main.EXIT_FAILURE;
        return code;
    }
}
