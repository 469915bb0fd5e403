package io.vnettracer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.events.EventFileReader;
import io.vnettracer.sinks.output.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * A store from a trace saved without one: the raw events file ({@code trace --events}) and the
 * JSON summary ({@code trace --json}). The summary names the probes (its order is the probes'
 * ids) and gives their ring losses; the events are joined again into journeys, and the flows and
 * segments are those of this join, which equal the trace's own unless the trace ended journeys on
 * wall-clock timeouts in ways the replay cannot see.
 */
public final class StoreImport {
    /** How often, in events, the replay lets the joiner finalize journeys idle past its timeout. */
    private static final int ADVANCE_EVERY = 1024;

    private StoreImport() {}

    public record Imported(long events, long journeys, Summary summary) {}

    /**
     * @throws IllegalArgumentException when a file is not what it should be
     * @throws UncheckedIOException     when a file cannot be read or the store written
     */
    public static Imported run(Path events, Path summaryJson, Path store, IntFunction<String> dropReasonNames) {
        return run(events, summaryJson, OutputFile.newOnly(store).regularOnly(), dropReasonNames);
    }

    /** Into {@code store} as {@link OutputFile} allows. */
    public static Imported run(Path events, Path summaryJson, OutputFile store, IntFunction<String> dropReasonNames) {
        JsonNode summary;
        try {
            summary = new ObjectMapper().readTree(summaryJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JSON summary " + summaryJson + ": " + e.getMessage(), e);
        }
        JsonNode probes = summary == null ? null : summary.get("probes");
        if (probes == null || !probes.isArray()) {
            throw new IllegalArgumentException(summaryJson + " is not a vNetTracer JSON summary (no \"probes\" array)");
        }
        ProbeCatalog catalog = new ProbeCatalog();
        long[] lost = new long[catalog.capacity()];
        for (int id = 0; id < probes.size(); id++) {
            JsonNode p = probes.get(id);
            String name = p.path("name").asText();
            String spec = p.path("spec").asText();
            // The trace numbered probes in this order.
            catalog.probeFromSpec(id, name, spec);
            lost[id] = p.path("lost").asLong();
        }
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults().withDropReasonNames(dropReasonNames));
        try (EventFileReader reader = new EventFileReader(events);
             StoreSink sink = StoreSink.forImport(store, catalog, dropReasonNames, 0)) { // an events file holds no wall clock
            sink.origin("source", "import").origin("events_file", events.toString()).origin("summary_file", summaryJson.toString());
            long[] journeys = new long[1];
            joiner.setListener(j -> {
                journeys[0]++;
                sink.onJourney(j);
            });
            long[] seen = new long[1];
            reader.forEach(e -> {
                joiner.onEvent(e);
                sink.onEvent(e);
                if (++seen[0] % ADVANCE_EVERY == 0) {
                    joiner.advanceTo(e.timestamp());
                }
            });
            joiner.flush();
            Summary result = joiner.summary(id -> id >= 0 && id < lost.length ? lost[id] : 0);
            sink.finish(result);
            return new Imported(seen[0], journeys[0], result);
        }
    }
}
