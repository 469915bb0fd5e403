package io.vnettracer.sinks.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.diagnosis.Finding;
import io.vnettracer.sinks.output.OutputFile;
import java.util.List;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes a {@link Summary} as the JSON contract of docs/JOURNEYS.md ("The JSON contract"): exactly
 * its keys, in its order (version 2: {@code sample_every}, {@code unaccounted}, {@code in_flight},
 * {@code retransmits}, {@code degraded} added to version 1's keys); the clock keys of a trace across nodes ({@code segments[].clock_uncertainty_ns},
 * {@code nodes}) only when the summary has node clocks, after every key of version 1. Counts are integers; rates, means, jitter, throughput and
 * shares are numbers with a fraction. Non-finite numbers, which the summary never produces, would be
 * written as 0 to keep the document valid JSON.
 */
public final class JsonSummaryWriter {
    private final JsonFactory factory = new JsonFactory();

    public void write(Summary summary, Path file) {
        write(summary, null, file);
    }

    /** With the diagnosis ({@code diagnosis}, version 3) when {@code findings} is not null. */
    public void write(Summary summary, List<Finding> findings, Path file) {
        write(summary, findings, OutputFile.replacing(file));
    }

    /** Into {@code file} as {@link OutputFile} creates it: new, private, an existing one only with --force. */
    public void write(Summary summary, List<Finding> findings, OutputFile file) {
        try (OutputStream out = file.openStream()) {
            write(summary, findings, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON summary to " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** Writes to {@code out} (left open), UTF-8, pretty-printed. */
    public void write(Summary summary, OutputStream out) throws IOException {
        write(summary, null, out);
    }

    /** As {@link #write(Summary, OutputStream)}, with the diagnosis when {@code findings} is not null. */
    public void write(Summary summary, List<Finding> findings, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("version", summary.version());
            g.writeArrayFieldStart("probes");
            for (Summary.Probe p : summary.probes()) writeProbe(g, p);
            g.writeEndArray();
            g.writeArrayFieldStart("flows");
            for (Summary.Flow f : summary.flows()) writeFlow(g, f);
            g.writeEndArray();
            g.writeArrayFieldStart("segments");
            for (Summary.Segment s : summary.segments()) writeSegment(g, s);
            g.writeEndArray();
            g.writeArrayFieldStart("drops");
            for (Summary.Drop d : summary.drops()) writeDrop(g, d);
            g.writeEndArray();
            writeOtherFlows(g, summary.otherFlows());
            writeFlowTable(g, summary);
            g.writeNumberField("events_lost", summary.eventsLost());
            g.writeArrayFieldStart("degraded");
            for (String reason : summary.degraded()) g.writeString(reason);
            g.writeEndArray();
            if (!summary.nodes().isEmpty()) {
                g.writeArrayFieldStart("nodes");
                for (Summary.Node n : summary.nodes()) writeNode(g, n);
                g.writeEndArray();
            }
            if (summary.aggregation() != null) {
                // Aggregate mode: percentiles from the kernel's delay buckets, within this resolution.
                g.writeObjectFieldStart("aggregation");
                g.writeStringField("mode", "aggregate");
                g.writeNumberField("latency_resolution_percent", summary.aggregation().resolutionPercent());
                g.writeObjectFieldStart("counters");
                for (var c : summary.aggregation().counters().entrySet()) {
                    g.writeNumberField(c.getKey().toLowerCase(java.util.Locale.ROOT), c.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            if (findings != null) {
                g.writeArrayFieldStart("diagnosis");
                for (Finding f : findings) writeFinding(g, f);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** The flows past the most kept apart, added up (all 0 when every flow has its row). */
    private static void writeOtherFlows(JsonGenerator g, Summary.OtherFlows o) throws IOException {
        g.writeObjectFieldStart("other_flows");
        g.writeNumberField("flows", o.flows());
        g.writeNumberField("sent", o.sent());
        g.writeNumberField("received", o.received());
        g.writeNumberField("lost", o.lost());
        g.writeNumberField("unaccounted", o.unaccounted());
        g.writeNumberField("in_flight", o.inFlight());
        g.writeNumberField("retransmits", o.retransmits());
        g.writeEndObject();
    }

    /** What the joiner's bounds did: flows evicted idle, folded; journeys finalized early. */
    private static void writeFlowTable(JsonGenerator g, Summary summary) throws IOException {
        g.writeObjectFieldStart("flow_table");
        g.writeNumberField("max_flows", summary.otherFlows().maxFlows());
        g.writeNumberField("evicted_idle", summary.counters().flowsEvictedIdle());
        g.writeNumberField("folded", summary.counters().flowsFolded());
        g.writeNumberField("journeys_finalized_early", summary.counters().evictedEarly());
        g.writeEndObject();
    }

    private static void writeFinding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("flow", f.flow());
        g.writeStringField("segment", f.segment());
        fraction(g, "share", f.share());
        g.writeStringField("cause", f.cause());
        g.writeStringField("evidence", f.evidence());
        fraction(g, "explained_share", f.explainedShare());
        g.writeEndObject();
    }

    private static void writeProbe(JsonGenerator g, Summary.Probe p) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", p.name());
        g.writeStringField("spec", p.spec());
        g.writeNumberField("events", p.events());
        g.writeNumberField("lost", p.lost());
        g.writeNumberField("sample_every", p.sampleEvery());
        g.writeEndObject();
    }

    private static void writeFlow(JsonGenerator g, Summary.Flow f) throws IOException {
        g.writeStartObject();
        g.writeStringField("proto", f.proto());
        g.writeStringField("src", f.src());
        g.writeNumberField("sport", f.sport());
        g.writeStringField("dst", f.dst());
        g.writeNumberField("dport", f.dport());
        g.writeNumberField("sent", f.sent());
        g.writeNumberField("received", f.received());
        g.writeNumberField("lost", f.lost());
        g.writeNumberField("unaccounted", f.unaccounted());
        g.writeNumberField("in_flight", f.inFlight());
        g.writeNumberField("retransmits", f.retransmits());
        g.writeNumberField("sent_bytes", f.sentBytes());
        g.writeNumberField("received_bytes", f.receivedBytes());
        fraction(g, "loss_rate", f.lossRate());
        fraction(g, "throughput_bps", f.throughputBps());
        fraction(g, "jitter_ns", f.jitterNs());
        g.writeObjectFieldStart("latency_ns");
        Summary.Latency l = f.latencyNs();
        g.writeNumberField("min", l.min());
        fraction(g, "mean", l.mean());
        g.writeNumberField("p50", l.p50());
        g.writeNumberField("p90", l.p90());
        g.writeNumberField("p99", l.p99());
        g.writeNumberField("max", l.max());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeSegment(JsonGenerator g, Summary.Segment s) throws IOException {
        g.writeStartObject();
        g.writeStringField("flow", s.flow());
        g.writeStringField("from", s.from());
        g.writeStringField("to", s.to());
        g.writeNumberField("packets", s.packets());
        g.writeNumberField("lost", s.lost());
        g.writeNumberField("unaccounted", s.unaccounted());
        g.writeNumberField("in_flight", s.inFlight());
        g.writeObjectFieldStart("latency_ns");
        fraction(g, "mean", s.latencyNs().mean());
        g.writeNumberField("p50", s.latencyNs().p50());
        g.writeNumberField("p99", s.latencyNs().p99());
        g.writeEndObject();
        fraction(g, "share", s.share());
        if (s.crossesClocks()) {
            // null: a node's clock was never estimated, so the delay's error is unbounded
            if (s.clockUncertaintyNs() == Summary.Segment.UNALIGNED) g.writeNullField("clock_uncertainty_ns");
            else g.writeNumberField("clock_uncertainty_ns", s.clockUncertaintyNs());
        }
        g.writeEndObject();
    }

    private static void writeNode(JsonGenerator g, Summary.Node n) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", n.name());
        g.writeNumberField("offset_ns", n.offsetNs());
        if (n.known()) g.writeNumberField("uncertainty_ns", n.uncertaintyNs());
        else g.writeNullField("uncertainty_ns");
        g.writeStringField("source", n.source());
        g.writeEndObject();
    }

    private static void writeDrop(JsonGenerator g, Summary.Drop d) throws IOException {
        g.writeStartObject();
        g.writeStringField("probe_or_point", d.probeOrPoint());
        g.writeStringField("reason", d.reason());
        g.writeNumberField("count", d.count());
        g.writeEndObject();
    }

    /** Always with a fraction part (Jackson writes doubles as 1.0, never 1), so readers see one type per key. */
    private static void fraction(JsonGenerator g, String name, double value) throws IOException {
        g.writeNumberField(name, Double.isFinite(value) ? value : 0.0);
    }
}
