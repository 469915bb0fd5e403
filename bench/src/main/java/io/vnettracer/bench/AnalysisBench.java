package io.vnettracer.bench;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.JoinCounters;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.events.EventFileReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Offline analysis of a saved trace on one thread: a generated events file (docs/EVENTS_FILE.md)
 * read back, every event pushed through a {@link JourneyJoiner}, the journeys flushed and the
 * {@link Summary} built. Also shows that the heap holds the journeys in flight, not the trace:
 * heap after GC at a tenth, half and the end of the trace. Usage:
 * {@code scripts/bench analysis [--events N] [--rounds N] [--flows N] [--rate PACKETS_PER_S] [--timeout-ms MS]}.
 */
public final class AnalysisBench {
    private static final double LOSS_RATE = 0.03;
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AnalysisBench() {}

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        int rounds = 5;
        int flows = 100; // 1000 flows of 6 probes need about 0.9 GB of heap for their pair histograms (see the report)
        long rate = 1_000_000;
        long timeoutMs = 100;
        for (int i = 0; i + 1 < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--flows" -> flows = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Long.parseLong(args[++i].replace("_", ""));
                case "--timeout-ms" -> timeoutMs = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --events, --rounds, --flows, --rate, --timeout-ms)");
            }
        }
        JoinerConfig config = JoinerConfig.defaults().withTimeoutNanos(timeoutMs * 1_000_000);
        SyntheticTrace trace = new SyntheticTrace(events, flows, rate, LOSS_RATE);
        Path file = Files.createTempFile("vnettracer-analysis-", ".events");
        try {
            long start = System.nanoTime();
            long span = trace.writeTo(file);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("trace: %,d events (%,d packets of %d flows over 6 probes, %,d lost, %,d drop events), "
                            + "%.2f s of trace time at %,d packets/s, %,d MB, written in %.1f s%n",
                    events, trace.packets, flows, trace.lostPackets, trace.dropEvents, span / 1e9, rate,
                    Files.size(file) >> 20, writeSeconds);
            System.out.printf("joiner: timeout %d ms, max heap %d MB; %d rounds, one thread%n",
                    timeoutMs, Runtime.getRuntime().maxMemory() >> 20, rounds);
            List<Samples> figures = new ArrayList<>();
            Map<String, Object> settings = new LinkedHashMap<>();
            try (EventFileReader reader = new EventFileReader(file)) {
                figures.addAll(timed(reader, trace, config, rounds));
                figures.addAll(heap(reader, config, settings));
            }
            settings.put("events", events);
            settings.put("packets", trace.packets);
            settings.put("flows", flows);
            settings.put("packets_per_second_of_trace_time", rate);
            settings.put("trace_seconds", span / 1e9);
            settings.put("loss_rate", LOSS_RATE);
            settings.put("joiner_timeout_ms", timeoutMs);
            settings.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            settings.put("jvm_options", ManagementFactory.getRuntimeMXBean().getInputArguments());
            ResultFile.report("analysis", command(args), figures, settings);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<Samples> timed(EventFileReader reader, SyntheticTrace trace, JoinerConfig config, int rounds) {
        Samples rate = new Samples("read + join, one thread", "events/s", rounds);
        // The machine is shared: the thread's CPU time is what another tenant's load moves least.
        Samples cpuRate = new Samples("read + join, per CPU second of the thread", "events/s", rounds);
        Samples whole = new Samples(String.format("read + join + flush + summary, %,d events", reader.records()), "s", rounds);
        Samples summaryTime = new Samples("summary build alone", "ms", rounds);
        for (int round = -1; round < rounds; round++) { // round -1 warms up
            System.gc();
            long startCpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            JourneyJoiner joiner = new JourneyJoiner(SyntheticTrace.catalog(), config);
            reader.forEach(joiner::onEvent);
            long joined = System.nanoTime();
            long joinedCpu = THREADS.getCurrentThreadCpuTime();
            joiner.flush();
            long flushed = System.nanoTime();
            Summary summary = joiner.summary(id -> 0);
            long end = System.nanoTime();
            check(summary, trace);
            if (round >= 0) {
                rate.add(reader.records() * 1e9 / (joined - start));
                cpuRate.add(reader.records() * 1e9 / (joinedCpu - startCpu));
                whole.add((end - start) / 1e9);
                summaryTime.add((end - flushed) / 1e6);
            }
        }
        return List.of(rate, cpuRate, whole, summaryTime);
    }

    /** The joined figures must match what was generated, or the timing measured the wrong work. */
    private static void check(Summary summary, SyntheticTrace trace) {
        JoinCounters c = summary.counters();
        long sent = summary.flows().stream().mapToLong(Summary.Flow::sent).sum();
        long lost = summary.flows().stream().mapToLong(Summary.Flow::lost).sum();
        if (summary.flows().size() != trace.flows || sent != trace.packets || c.lateEvents() != 0
                || c.duplicates() != 0 || c.evictedEarly() != 0 || Math.abs(lost - trace.lostPackets) > 1) {
            throw new IllegalStateException("the joiner's result does not match the generated trace: flows "
                    + summary.flows().size() + "/" + trace.flows + ", sent " + sent + "/" + trace.packets + ", lost " + lost
                    + "/" + trace.lostPackets + ", late " + c.lateEvents() + ", duplicates " + c.duplicates()
                    + ", evicted " + c.evictedEarly());
        }
    }

    /** One more pass with a full GC at checkpoints: what stays on the heap as the trace gets longer. */
    private static List<Samples> heap(EventFileReader reader, JoinerConfig config, Map<String, Object> settings) {
        long n = reader.records();
        long[] checkpoints = {n / 10, n / 2, n};
        String[] labels = {"a tenth", "half", "all"};
        List<Samples> out = new ArrayList<>();
        List<Map<String, Object>> found = new ArrayList<>();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        JourneyJoiner joiner = new JourneyJoiner(SyntheticTrace.catalog(), config);
        long[] seen = {0};
        int[] next = {0};
        reader.forEach((Consumer<EventView>) e -> {
            joiner.onEvent(e);
            if (++seen[0] == checkpoints[next[0]]) {
                long used = heapAfterGc();
                Samples s = new Samples(String.format("heap after GC, %s of the events (%,d)", labels[next[0]], seen[0]), "MB", 1);
                s.add(used / 1e6);
                out.add(s);
                found.add(Map.of("events", seen[0], "heap_after_gc_bytes", used, "open_journeys", joiner.openJourneys()));
                System.out.printf("  after %,d events: %,d journeys open, heap after GC %.1f MB%n",
                        seen[0], joiner.openJourneys(), used / 1e6);
                next[0] = Math.min(next[0] + 1, checkpoints.length - 1);
            }
        });
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        Samples peakHeap = new Samples("peak heap used (sum of pool peaks)", "MB", 1);
        peakHeap.add(peak / 1e6);
        out.add(peakHeap);
        settings.put("checkpoints", found);
        return out;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String command(String[] args) {
        return ("scripts/bench analysis " + String.join(" ", args)).strip();
    }
}
