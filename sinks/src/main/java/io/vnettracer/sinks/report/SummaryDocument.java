package io.vnettracer.sinks.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON summary as the report reads it back: the contract of docs/JOURNEYS.md, the keys of version
 * 1, which every later version keeps (versions only add keys). Times are in nanoseconds, shares are
 * fractions.
 */
record SummaryDocument(String file, List<Probe> probes, List<Flow> flows, List<Segment> segments,
                       List<Drop> drops, long eventsLost, List<Finding> diagnosis) {
    /** The newest version this build reads; it reads every one from 1. */
    static final int VERSION = io.vnettracer.journey.Summary.VERSION;

    record Probe(String name, String spec, long events, long lost) {}

    /** @param name as segments name their flow: {@code udp 10.0.0.1:5000 > 10.0.0.3:11111} */
    record Flow(String name, long sent, long received, long lost, double lossRate, double throughputBps,
                double jitterNs, FlowLatency latencyNs) {}

    record FlowLatency(long min, double mean, long p50, long p90, long p99, long max) {}

    record Segment(String flow, String from, String to, long packets, long lost, double meanNs, long p50Ns,
                   long p99Ns, double share) {
        /** The segment's name in charts and legends, and the key of its color. */
        String label() {
            return from + " → " + to;
        }
    }

    record Drop(String where, String reason, long count) {}

    /**
     * One finding of the diagnosis (docs/DIAGNOSE.md), ranked as the summary lists them.
     *
     * @param flow           the flow it is about, or null when the summary does not say
     * @param share          of the flow's latency (or, for drops, of its packets) the segment holds, 0..1
     * @param explainedShare of the segment the evidence accounts for, 0..1; NaN when not given
     */
    record Finding(String flow, String segment, double share, String cause, String evidence, double explainedShare) {}

    static SummaryDocument read(Path file, String referredFrom) {
        JsonFields root = JsonFields.read(file, "it is named by " + referredFrom);
        long version = root.integer("version");
        if (version < 1 || version > VERSION) {
            throw root.problem("version " + version + " is not supported; this build reads summaries of versions 1 to " + VERSION);
        }
        List<Probe> probes = new ArrayList<>();
        for (JsonFields p : root.array("probes")) {
            probes.add(new Probe(p.text("name"), p.text("spec"), p.integer("events"), p.integer("lost")));
        }
        List<Flow> flows = new ArrayList<>();
        for (JsonFields f : root.array("flows")) {
            flows.add(flow(f));
        }
        List<Segment> segments = new ArrayList<>();
        for (JsonFields s : root.array("segments")) {
            JsonFields l = s.object("latency_ns");
            double share = fraction(s, "share");
            segments.add(new Segment(s.text("flow"), s.text("from"), s.text("to"), s.integer("packets"),
                    s.integer("lost"), l.number("mean"), l.integer("p50"), l.integer("p99"), share));
        }
        List<Drop> drops = new ArrayList<>();
        for (JsonFields d : root.array("drops")) {
            drops.add(new Drop(d.text("probe_or_point"), d.text("reason"), d.integer("count")));
        }
        return new SummaryDocument(root.file(), List.copyOf(probes), List.copyOf(flows), List.copyOf(segments),
                List.copyOf(drops), root.integer("events_lost"), diagnosis(root));
    }

    /** The optional {@code diagnosis}: absent is no finding, present must be well formed. */
    private static List<Finding> diagnosis(JsonFields root) {
        if (!root.has("diagnosis")) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (JsonFields d : root.array("diagnosis")) {
            findings.add(new Finding(d.has("flow") ? d.text("flow") : null, d.text("segment"), fraction(d, "share"),
                    d.text("cause"), d.text("evidence"), d.has("explained_share") ? fraction(d, "explained_share") : Double.NaN));
        }
        return List.copyOf(findings);
    }

    private static double fraction(JsonFields f, String key) {
        double v = f.number(key);
        if (v < 0 || v > 1.000001) {
            throw f.problem(key + ": " + v + " is not a fraction in [0, 1]");
        }
        return v;
    }

    /** The findings about this flow, and those that name no flow, in the summary's order. */
    List<Finding> diagnosisOf(Flow flow) {
        String wanted = normalize(flow.name());
        return diagnosis.stream().filter(d -> d.flow() == null || normalize(d.flow()).equals(wanted)).toList();
    }

    private static Flow flow(JsonFields f) {
        String name = f.text("proto") + " " + endpoint(f.text("src"), f.integer("sport"))
                + " > " + endpoint(f.text("dst"), f.integer("dport"));
        JsonFields l = f.object("latency_ns");
        FlowLatency latency = new FlowLatency(l.integer("min"), l.number("mean"), l.integer("p50"), l.integer("p90"),
                l.integer("p99"), l.integer("max"));
        return new Flow(name, f.integer("sent"), f.integer("received"), f.integer("lost"), f.number("loss_rate"),
                f.number("throughput_bps"), f.number("jitter_ns"), latency);
    }

    /** IPv6 addresses in brackets, as docs/JOURNEYS.md names flows. */
    private static String endpoint(String address, long port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** The flow of that name; names compare with runs of spaces taken as one. */
    Flow flow(String name) {
        String wanted = normalize(name);
        for (Flow f : flows) {
            if (normalize(f.name()).equals(wanted)) {
                return f;
            }
        }
        return null;
    }

    /** The segments of a flow, in path order (the summary writes them so). */
    List<Segment> segmentsOf(Flow flow) {
        String wanted = normalize(flow.name());
        return segments.stream().filter(s -> normalize(s.flow()).equals(wanted)).toList();
    }

    private static String normalize(String name) {
        return name.strip().replaceAll("\\s+", " ");
    }
}
