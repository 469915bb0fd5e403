package io.vnettracer.journey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one flow's figures off its accumulator: decides its path, then its row, segments and
 * drops. Used for every flow in the table when a summary is built, and once for a flow the joiner
 * retires (its figures are final then).
 */
final class FlowFigures {
    private final ProbeCatalog catalog;
    private final JoinerConfig config;
    /** Node name to its clock; empty when all probes share one clock. */
    private final Map<String, Summary.Node> clocks = new LinkedHashMap<>();

    FlowFigures(ProbeCatalog catalog, JoinerConfig config, List<Summary.Node> nodeClocks) {
        this.catalog = catalog;
        this.config = config;
        for (Summary.Node n : nodeClocks) clocks.put(n.name(), n);
    }

    Map<String, Summary.Node> clocks() {
        return clocks;
    }

    FlowRows of(FlowKey key, FlowAccumulator acc, long order) {
        int[] path = acc.path(catalog);
        MissingSightings missing = new MissingSightings(catalog, acc, path);
        Summary.Flow flow = null;
        List<Summary.Segment> segments = new ArrayList<>();
        if (path.length > 0) {
            flow = flow(key, acc, path, missing);
            addSegments(key, acc, path, missing, segments);
        }
        Map<List<String>, Long> drops = new HashMap<>();
        addDrops(acc, path, missing, drops);
        return new FlowRows(order, flow, List.copyOf(segments), drops);
    }

    /** The clock term of a segment's delays: the sum of its two nodes' uncertainties. */
    private long clockUncertainty(int from, int to) {
        if (clocks.isEmpty() || catalog.nodeNumber(from) == catalog.nodeNumber(to)) return Summary.Segment.SAME_CLOCK;
        Summary.Node a = clocks.get(catalog.get(from).node());
        Summary.Node b = clocks.get(catalog.get(to).node());
        if (a == null || b == null || !a.known() || !b.known()) return Summary.Segment.UNALIGNED;
        return a.uncertaintyNs() + b.uncertaintyNs();
    }

    private Summary.Flow flow(FlowKey key, FlowAccumulator acc, int[] path, MissingSightings missing) {
        int first = path[0], last = path[path.length - 1];
        long sent = acc.seen[first];
        long received = acc.seen[last];
        // Of those sent and not seen at the end: delivered short of a socket (no payload), in
        // flight, unaccounted; the rest (and any the end table could not keep) lost.
        long notReceived = path.length == 1 ? 0 : sent - acc.seenAtBoth(first, last);
        long[] byKind = new long[MissingSightings.NOT_EXPECTED + 1];
        for (int e = 0; e < acc.ends && path.length > 1; e++) {
            if (missing.seenAt(e, path.length - 1)) continue;
            int kind = missing.atEnd(e);
            if (kind == MissingSightings.DELIVERED) received += acc.endCount[e];
            if (missing.seenAt(e, 0)) byKind[kind] += acc.endCount[e];
        }
        long unaccounted = byKind[MissingSightings.UNACCOUNTED], inFlight = byKind[MissingSightings.IN_FLIGHT];
        long lost = Math.max(0, notReceived - byKind[MissingSightings.DELIVERED] - unaccounted - inFlight);
        PairStats endToEnd = path.length == 1 ? null : acc.pairOrNull(first, last);
        Summary.Latency latency = endToEnd == null ? new Summary.Latency(0, 0, 0, 0, 0, 0)
                : new Summary.Latency(endToEnd.min, endToEnd.mean(), endToEnd.percentile(50), endToEnd.percentile(90),
                        endToEnd.percentile(99), endToEnd.max, endToEnd.percentile(99.9));
        List<String> names = new ArrayList<>();
        for (int p : path) names.add(catalog.get(p).name());
        return new Summary.Flow(key.protocolName(), key.srcAddress(), key.srcPort(), key.dstAddress(), key.dstPort(),
                sent, received, lost, unaccounted, inFlight, acc.retransmits, acc.bytes[first], acc.bytes[last], sent == 0 ? 0 : (double) lost / sent,
                throughputBps(acc, last), endToEnd == null ? 0 : endToEnd.jitter, latency, key, List.copyOf(names));
    }

    /** Bytes seen at the probe × 8 over the time from its first sighting of the flow to its last; 0 under two sightings. */
    static double throughputBps(FlowAccumulator acc, int probe) {
        long interval = acc.lastSeen[probe] - acc.firstSeen[probe];
        if (acc.seen[probe] < 2 || interval <= 0) return 0;
        return acc.bytes[probe] * 8 * 1e9 / interval;
    }

    private void addSegments(FlowKey key, FlowAccumulator acc, int[] path, MissingSightings missing, List<Summary.Segment> out) {
        JourneyShape complete = acc.completeShape(path);
        for (int i = 0; i + 1 < path.length; i++) {
            int from = path[i], to = path[i + 1];
            PairStats pair = acc.pairOrNull(from, to);
            long packets = acc.seenAtBoth(from, to);
            Summary.SegmentLatency latency = pair == null ? new Summary.SegmentLatency(0, 0, 0)
                    : new Summary.SegmentLatency(pair.mean(), pair.percentile(50), pair.percentile(99));
            double share = complete == null || complete.endToEndSum == 0 ? 0
                    : (double) complete.hopSum[i] / complete.endToEndSum;
            long[] byKind = new long[MissingSightings.NOT_EXPECTED + 1];
            for (int e = 0; e < acc.ends; e++) {
                if (missing.seenAt(e, i)) byKind[missing.atSegmentEnd(e, i)] += acc.endCount[e];
            }
            long unaccounted = byKind[MissingSightings.UNACCOUNTED], inFlight = byKind[MissingSightings.IN_FLIGHT];
            long lost = Math.max(0, acc.seen[from] - packets - unaccounted - inFlight - byKind[MissingSightings.NOT_EXPECTED]);
            out.add(new Summary.Segment(key.toString(), catalog.get(from).name(), catalog.get(to).name(),
                    packets, lost, unaccounted, inFlight, latency, share, clockUncertainty(from, to)));
        }
    }

    /**
     * Journeys that vanished, by where and why; those in flight or unaccounted did not (as far as
     * the tracer can tell) and are not drops.
     */
    private void addDrops(FlowAccumulator acc, int[] path, MissingSightings missing, Map<List<String>, Long> drops) {
        for (int e = 0; e < acc.ends; e++) {
            int endProbe = acc.endProbe[e], dropProbe = acc.endDropProbe[e];
            boolean dropSeen = dropProbe >= 0;
            int kind = endProbe < 0 ? MissingSightings.LOST : missing.atEnd(e);
            String point;
            if (endProbe < 0 || (kind == MissingSightings.DELIVERED && dropSeen)) {
                point = catalog.get(dropProbe).name();
            } else if (kind != MissingSightings.LOST) {
                continue;
            } else {
                point = segmentAfter(endProbe, path);
            }
            String reason = dropSeen ? reasonName(acc.endReason[e]) : Summary.Drop.NO_DROP_EVENT;
            drops.merge(List.of(point, reason), acc.endCount[e], Long::sum);
        }
    }

    private String segmentAfter(int probe, int[] path) {
        for (int i = 0; i + 1 < path.length; i++) {
            if (path[i] == probe) return catalog.get(probe).name() + " > " + catalog.get(path[i + 1]).name();
        }
        return catalog.get(probe).name();
    }

    private String reasonName(int code) {
        String name = config.dropReasonNames().apply(code);
        return name != null ? name : "drop reason " + code;
    }
}
