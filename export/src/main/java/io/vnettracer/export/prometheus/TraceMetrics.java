package io.vnettracer.export.prometheus;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.vnettracer.journey.JoinCounters;
import io.vnettracer.journey.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The metrics of one trace, built at each scrape from the latest summary (so a scrape costs the
 * tracer nothing between scrapes). Latencies are Prometheus summaries: the tracer already holds
 * exact per-flow histograms and computes quantiles from them, which is what the summary type
 * carries; {@code _count} and {@code _sum} are exact, so mean latency over any window is
 * {@code rate(_sum) / rate(_count)}. Quantiles of different flows cannot be averaged: query them per
 * flow. Names and labels: docs/EXPORTS.md.
 */
final class TraceMetrics implements MultiCollector {
    private static final String[] FLOW_LABELS = {"proto", "src", "sport", "dst", "dport"};
    private static final double NANOS = 1e-9;

    private volatile Summary summary;
    private volatile boolean finished;
    private volatile LongSupplier undecodable = () -> 0;

    TraceMetrics() {}

    void update(Summary latest, boolean last) {
        summary = latest;
        finished |= last;
    }

    void undecodableFrom(LongSupplier source) {
        undecodable = source;
    }

    @Override
    public MetricSnapshots collect() {
        Summary s = summary;
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("vnettracer_trace_finished", "1 once the trace has ended and these figures are final, else 0",
                List.of(gaugePoint(Labels.EMPTY, finished ? 1 : 0))));
        out.add(counter("vnettracer_undecodable_events", "Ring-buffer records the session could not decode",
                List.of(counterPoint(Labels.EMPTY, undecodable.getAsLong()))));
        if (s == null) {
            return new MetricSnapshots(out);
        }
        flows(s, out);
        segments(s, out);
        probes(s, out);
        drops(s, out);
        joiner(s.counters(), out);
        otherFlows(s.otherFlows(), out);
        return new MetricSnapshots(out);
    }

    private void flows(Summary s, List<MetricSnapshot> out) {
        List<CounterDataPointSnapshot> sent = new ArrayList<>(), received = new ArrayList<>(), lost = new ArrayList<>();
        List<CounterDataPointSnapshot> unaccounted = new ArrayList<>(), inFlight = new ArrayList<>(), retransmits = new ArrayList<>();
        List<CounterDataPointSnapshot> sentBytes = new ArrayList<>(), receivedBytes = new ArrayList<>();
        List<GaugeDataPointSnapshot> loss = new ArrayList<>(), throughput = new ArrayList<>(), jitter = new ArrayList<>();
        List<GaugeDataPointSnapshot> min = new ArrayList<>(), max = new ArrayList<>(), open = new ArrayList<>();
        List<SummaryDataPointSnapshot> latency = new ArrayList<>();
        for (Summary.Flow f : s.flows()) {
            Labels labels = flowLabels(f);
            sent.add(counterPoint(labels, f.sent()));
            received.add(counterPoint(labels, f.received()));
            lost.add(counterPoint(labels, f.lost()));
            unaccounted.add(counterPoint(labels, f.unaccounted()));
            inFlight.add(counterPoint(labels, f.inFlight()));
            retransmits.add(counterPoint(labels, f.retransmits()));
            sentBytes.add(counterPoint(labels, f.sentBytes()));
            receivedBytes.add(counterPoint(labels, f.receivedBytes()));
            loss.add(gaugePoint(labels, f.lossRate()));
            throughput.add(gaugePoint(labels, f.throughputBps() / 8));
            jitter.add(gaugePoint(labels, f.jitterNs() * NANOS));
            Summary.Latency l = f.latencyNs();
            long both = f.sent() - f.lost() - f.unaccounted() - f.inFlight();
            min.add(gaugePoint(labels, l.min() * NANOS));
            max.add(gaugePoint(labels, l.max() * NANOS));
            open.add(gaugePoint(labels, f.open()));
            latency.add(summaryPoint(labels, both, l.mean() * both * NANOS,
                    new Quantile(0.5, l.p50() * NANOS), new Quantile(0.9, l.p90() * NANOS), new Quantile(0.99, l.p99() * NANOS)));
        }
        out.add(counter("vnettracer_flow_sent_packets", "Packets (identities) seen at the flow's first probe", sent));
        out.add(counter("vnettracer_flow_received_packets", "Packets seen at the flow's last probe", received));
        out.add(counter("vnettracer_flow_lost_packets", "Packets seen at the first probe that vanished in the network", lost));
        out.add(counter("vnettracer_flow_unaccounted_packets",
                "Packets seen at the first probe, missed where a probe lost ring records or sampled", unaccounted));
        out.add(counter("vnettracer_flow_in_flight_packets", "Packets still travelling when the trace ended", inFlight));
        out.add(counter("vnettracer_flow_retransmitted_packets", "TCP segments whose sequence range was already sent", retransmits));
        out.add(counter("vnettracer_flow_sent_bytes", "IP bytes of the flow at its first probe", sentBytes));
        out.add(counter("vnettracer_flow_received_bytes", "IP bytes of the flow at its last probe", receivedBytes));
        out.add(gauge("vnettracer_flow_loss_ratio", "lost / sent", loss));
        out.add(gauge("vnettracer_flow_throughput_bytes_per_second",
                "IP bytes per second at the last probe, between its first and last sighting of the flow", throughput));
        out.add(gauge("vnettracer_flow_jitter_seconds", "RFC 3550 interarrival jitter of the first-to-last probe delay", jitter));
        out.add(gauge("vnettracer_flow_latency_min_seconds", "Smallest first-to-last probe delay", min));
        out.add(gauge("vnettracer_flow_latency_max_seconds", "Largest first-to-last probe delay", max));
        out.add(gauge("vnettracer_flow_open_packets",
                "Packets of the flow still followed: seen, not yet counted as received, lost or otherwise (0 once the trace has ended)", open));
        out.add(summary("vnettracer_flow_latency_seconds",
                "First-to-last probe delay of the packets seen at both (_count) with exact quantiles", latency));
    }

    private void segments(Summary s, List<MetricSnapshot> out) {
        Map<String, Labels> flowLabels = new HashMap<>();
        for (Summary.Flow f : s.flows()) {
            if (f.key() != null) flowLabels.put(f.key().toString(), flowLabels(f));
        }
        List<CounterDataPointSnapshot> packets = new ArrayList<>(), lost = new ArrayList<>();
        List<CounterDataPointSnapshot> unaccounted = new ArrayList<>(), inFlight = new ArrayList<>();
        List<GaugeDataPointSnapshot> share = new ArrayList<>();
        List<SummaryDataPointSnapshot> latency = new ArrayList<>();
        for (Summary.Segment seg : s.segments()) {
            Labels labels = flowLabels.getOrDefault(seg.flow(), Labels.of("flow", seg.flow()))
                    .add("from", seg.from()).add("to", seg.to());
            packets.add(counterPoint(labels, seg.packets()));
            lost.add(counterPoint(labels, seg.lost()));
            unaccounted.add(counterPoint(labels, seg.unaccounted()));
            inFlight.add(counterPoint(labels, seg.inFlight()));
            share.add(gaugePoint(labels, seg.share()));
            latency.add(summaryPoint(labels, seg.packets(), seg.latencyNs().mean() * seg.packets() * NANOS,
                    new Quantile(0.5, seg.latencyNs().p50() * NANOS), new Quantile(0.99, seg.latencyNs().p99() * NANOS)));
        }
        out.add(counter("vnettracer_segment_packets", "Packets seen at both ends of the segment", packets));
        out.add(counter("vnettracer_segment_lost_packets", "Packets seen at the segment's start that vanished before its end", lost));
        out.add(counter("vnettracer_segment_unaccounted_packets",
                "Packets seen at the segment's start, missed at its end while its probe lost records or sampled", unaccounted));
        out.add(counter("vnettracer_segment_in_flight_packets", "Packets between the segment's probes when the trace ended", inFlight));
        out.add(gauge("vnettracer_segment_latency_share_ratio",
                "The segment's part of the flow's end-to-end mean delay (0..1)", share));
        out.add(summary("vnettracer_segment_latency_seconds", "Delay from the segment's start probe to its end probe", latency));
    }

    private static void probes(Summary s, List<MetricSnapshot> out) {
        List<CounterDataPointSnapshot> events = new ArrayList<>(), lost = new ArrayList<>();
        for (Summary.Probe p : s.probes()) {
            Labels labels = Labels.of("probe", p.name());
            events.add(counterPoint(labels, p.events()));
            lost.add(counterPoint(labels, p.lost()));
        }
        out.add(counter("vnettracer_probe_events", "Events the joiner received from the probe", events));
        out.add(counter("vnettracer_probe_ring_lost_events",
                "Events the probe could not write because the ring buffer was full", lost));
    }

    private static void drops(Summary s, List<MetricSnapshot> out) {
        List<CounterDataPointSnapshot> drops = new ArrayList<>();
        for (Summary.Drop d : s.drops()) {
            drops.add(counterPoint(Labels.of("point", d.probeOrPoint(), "reason", d.reason()), d.count()));
        }
        out.add(counter("vnettracer_dropped_packets",
                "Lost packets by where they were last seen or dropped, and the kernel's drop reason", drops));
    }

    private static void joiner(JoinCounters c, List<MetricSnapshot> out) {
        if (c == null) {
            return;
        }
        out.add(counter("vnettracer_joiner_events", "Events the joiner accepted", List.of(counterPoint(Labels.EMPTY, c.events()))));
        out.add(counter("vnettracer_joiner_refused_events", "Events the joiner refused, by reason", List.of(
                counterPoint(Labels.of("reason", "unknown_version"), c.unknownVersion()),
                counterPoint(Labels.of("reason", "unknown_kind"), c.unknownKind()),
                counterPoint(Labels.of("reason", "unknown_probe"), c.unknownProbe()),
                counterPoint(Labels.of("reason", "late"), c.lateEvents()))));
        one(out, c, "vnettracer_joiner_journeys", "Journeys finalized", JoinCounters::journeys);
        one(out, c, "vnettracer_joiner_drop_only_journeys", "Journeys seen only by drop probes", JoinCounters::dropOnlyJourneys);
        one(out, c, "vnettracer_joiner_singleton_journeys", "Journeys seen by exactly one probe", JoinCounters::singletons);
        one(out, c, "vnettracer_joiner_evicted_early_journeys", "Journeys finalized before their timeout for want of room",
                JoinCounters::evictedEarly);
        one(out, c, "vnettracer_joiner_duplicate_sightings", "Second sightings of one packet at one probe (ignored)",
                JoinCounters::duplicates);
        one(out, c, "vnettracer_joiner_hops_overflow_sightings", "Sightings beyond the per-journey limit (ignored)",
                JoinCounters::hopsOverflow);
        one(out, c, "vnettracer_joiner_extra_drop_events", "Drop events after the first for one packet", JoinCounters::extraDropEvents);
        one(out, c, "vnettracer_joiner_links", "Fingerprints linked to a tag", JoinCounters::links);
        one(out, c, "vnettracer_joiner_merges", "Links that joined two journeys", JoinCounters::merges);
        one(out, c, "vnettracer_joiner_keys_overflow", "Identity keys a journey could not take", JoinCounters::keysOverflow);
        one(out, c, "vnettracer_joiner_fingerprint_conflicts", "Links refused: the fingerprint belonged to another journey",
                JoinCounters::fingerprintConflicts);
        one(out, c, "vnettracer_joiner_untracked_shapes", "Journeys left out of latency shares (too many shapes)",
                JoinCounters::shapesUntracked);
        one(out, c, "vnettracer_joiner_untracked_ends", "Journeys left out of drops (too many end points)",
                JoinCounters::endsUntracked);
        one(out, c, "vnettracer_joiner_flows_evicted_idle", "Flows finalized into their rows after --flow-idle without packets",
                JoinCounters::flowsEvictedIdle);
        one(out, c, "vnettracer_joiner_flows_folded", "Flows past --max-flows folded into other flows",
                JoinCounters::flowsFolded);
    }

    /** The flows the joiner did not keep apart (--max-flows), added up, and what its bounds did. */
    private static void otherFlows(Summary.OtherFlows o, List<MetricSnapshot> out) {
        out.add(counter("vnettracer_other_flows", "Flows past --max-flows, added up in other flows",
                List.of(counterPoint(Labels.EMPTY, o.flows()))));
        out.add(counter("vnettracer_other_flows_packets", "Packets of the other flows, by what became of them", List.of(
                counterPoint(Labels.of("outcome", "sent"), o.sent()),
                counterPoint(Labels.of("outcome", "received"), o.received()),
                counterPoint(Labels.of("outcome", "lost"), o.lost()),
                counterPoint(Labels.of("outcome", "unaccounted"), o.unaccounted()),
                counterPoint(Labels.of("outcome", "in_flight"), o.inFlight()))));
    }

    private static void one(List<MetricSnapshot> out, JoinCounters c, String name, String help, ToLongFunction<JoinCounters> value) {
        out.add(counter(name, help, List.of(counterPoint(Labels.EMPTY, value.applyAsLong(c)))));
    }

    private static Labels flowLabels(Summary.Flow f) {
        return Labels.of(FLOW_LABELS, new String[] {f.proto(), f.src(), String.valueOf(f.sport()), f.dst(), String.valueOf(f.dport())});
    }

    /** {@code name} without {@code _total}: the exposition adds it to counters. */
    private static CounterSnapshot counter(String name, String help, List<CounterDataPointSnapshot> points) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static SummarySnapshot summary(String name, String help, List<SummaryDataPointSnapshot> points) {
        SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static CounterDataPointSnapshot counterPoint(Labels labels, double value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeDataPointSnapshot gaugePoint(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static SummaryDataPointSnapshot summaryPoint(Labels labels, long count, double sum, Quantile... quantiles) {
        SummaryDataPointSnapshot.Builder b = SummaryDataPointSnapshot.builder();
        b.labels(labels).quantiles(Quantiles.of(quantiles)).count(count);
        b.sum(sum);
        return b.build();
    }
}
