package io.vnettracer.journey.aggregate;

import io.vnettracer.event.DelayBuckets;
import io.vnettracer.event.KernelAggregates;
import io.vnettracer.event.KernelAggregates.DropAggregate;
import io.vnettracer.event.KernelAggregates.FlowAggregate;
import io.vnettracer.event.KernelAggregates.SegmentAggregate;
import io.vnettracer.journey.FlowKey;
import io.vnettracer.journey.JoinCounters;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns what aggregate-mode probes added up ({@link KernelAggregates}) into a {@link Summary} with the
 * figures record mode gives, by the same definitions (docs/JOURNEYS.md): a flow's path is the probes
 * that counted it, ordered by their mean delay from the packets' first sighting; {@code sent} and
 * {@code received} are its first and last probe's counts; journeys that went quiet short of the last
 * probe are lost in the segment after the probe that saw them last (with a drop reason when a drop
 * probe saw them), those still followed at the end are in flight, the rest of what was sent and not
 * received is unaccounted. Latency percentiles come from the kernel's delay buckets (within
 * {@value DelayBuckets#RESOLUTION_PERCENT} %); counts, sums, means and extremes are exact.
 */
public final class AggregateSummaryBuilder {
    private final ProbeCatalog catalog;
    private final IntFunction<String> dropReasonNames;

    public AggregateSummaryBuilder(ProbeCatalog catalog, IntFunction<String> dropReasonNames) {
        this.catalog = catalog;
        this.dropReasonNames = dropReasonNames;
    }

    public Summary build(KernelAggregates k) {
        List<Summary.Flow> flows = new ArrayList<>();
        List<Summary.Segment> segments = new ArrayList<>();
        Map<List<String>, Long> drops = new HashMap<>();
        long[] sightings = new long[catalog.capacity()];
        Summary.OtherFlows other = Summary.OtherFlows.NONE;
        for (int f = 0; f < k.flows().size(); f++) {
            FlowAggregate flow = k.flows().get(f);
            for (int id = 0; id < flow.packets().length && id < sightings.length; id++) sightings[id] += flow.packets()[id];
            int[] path = path(flow);
            if (path.length == 0) continue;
            Figures fig = figures(flow, path, dropsOf(k, f));
            if (flow.tuple() == null) {
                other = new Summary.OtherFlows(k.maxFlows(), 0, fig.sent, fig.received, fig.lost, fig.unaccounted,
                        fig.inFlight, 0);
                continue;
            }
            flows.add(flowRow(flow, path, fig));
            addSegments(flow, path, fig, segments);
            fig.drops.forEach((key, n) -> drops.merge(key, n, Long::sum));
        }
        for (DropAggregate d : k.drops()) {
            if (d.lastProbe() == KernelAggregates.NO_PROBE) {
                drops.merge(List.of(name(d.dropProbe()), reasonName(d.reason())), d.count(), Long::sum);
            }
        }
        List<Summary.Probe> probes = new ArrayList<>();
        for (ProbeCatalog.Probe p : catalog.probes()) {
            probes.add(new Summary.Probe(p.name(), p.spec(), p.id() < sightings.length ? sightings[p.id()] : 0, 0, 1));
        }
        List<Summary.Drop> dropList = new ArrayList<>();
        drops.forEach((pr, n) -> dropList.add(new Summary.Drop(pr.get(0), pr.get(1), n)));
        dropList.sort(Comparator.comparingLong(Summary.Drop::count).reversed()
                .thenComparing(Summary.Drop::probeOrPoint).thenComparing(Summary.Drop::reason));
        return new Summary(Summary.VERSION, probes, flows, segments, dropList, 0, new JoinCounters(), List.of(),
                degraded(k, other), other, new Summary.Aggregation(DelayBuckets.RESOLUTION_PERCENT, k.counters()));
    }

    /**
     * The flow's probes (drop probes never count packets), by the catalog's positions when every one
     * has one, else by mean offset from the packets' first sighting (as record mode orders them).
     */
    private int[] path(FlowAggregate flow) {
        List<Integer> ids = new ArrayList<>();
        boolean positioned = true;
        for (int id = 0; id < flow.packets().length; id++) {
            if (flow.packets()[id] > 0 && catalog.indexOf(id) >= 0) {
                ids.add(id);
                positioned &= catalog.get(catalog.indexOf(id)).hasPosition();
            }
        }
        if (positioned) {
            ids.sort(Comparator.<Integer>comparingInt(id -> catalog.get(catalog.indexOf(id)).position()));
        } else {
            ids.sort(Comparator.<Integer>comparingDouble(id -> (double) flow.offsetSum()[id] / flow.packets()[id])
                    .thenComparingInt(catalog::indexOf));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<DropAggregate> dropsOf(KernelAggregates k, int flow) {
        List<DropAggregate> out = new ArrayList<>();
        for (DropAggregate d : k.drops()) {
            if (d.flow() == flow && d.lastProbe() != KernelAggregates.NO_PROBE) out.add(d);
        }
        return out;
    }

    /** A flow's counts; {@code lostAt[i]}, {@code inFlightAt[i]}: of those last seen at path[i]. */
    private static final class Figures {
        long sent, received, lost, inFlight, unaccounted;
        long[] lostAt, inFlightAt;
        final Map<List<String>, Long> drops = new HashMap<>();
    }

    private Figures figures(FlowAggregate flow, int[] path, List<DropAggregate> flowDrops) {
        Figures fig = new Figures();
        int first = path[0], last = path[path.length - 1];
        fig.sent = flow.packets()[first];
        fig.received = flow.packets()[last];
        if (path.length > 1 && isSocket(last)) {
            // TCP segments without payload sent at the first probe end at the last one before the socket, delivered.
            SegmentAggregate empty = segment(flow, first, path[path.length - 2], KernelAggregates.EMPTY_END);
            if (empty != null) fig.received += empty.count();
        }
        fig.lostAt = new long[path.length];
        fig.inFlightAt = new long[path.length];
        for (int i = 0; i + 1 < path.length; i++) {
            int p = path[i];
            long dropped = 0;
            for (DropAggregate d : flowDrops) {
                if (d.lastProbe() == p) {
                    dropped += d.count();
                    fig.drops.merge(List.of(segmentAfter(path, i), reasonName(d.reason())), d.count(), Long::sum);
                }
            }
            long quiet = flow.ended()[p];
            if (quiet > 0) fig.drops.merge(List.of(segmentAfter(path, i), Summary.Drop.NO_DROP_EVENT), quiet, Long::sum);
            fig.lostAt[i] = dropped + quiet;
            fig.inFlightAt[i] = flow.open()[p];
            fig.lost += fig.lostAt[i];
            fig.inFlight += fig.inFlightAt[i];
        }
        // Dropped after the last probe saw them: a drop of the probe's, not a loss of the path's.
        for (DropAggregate d : flowDrops) {
            if (d.lastProbe() == last || indexIn(path, d.lastProbe()) < 0) {
                fig.drops.merge(List.of(name(d.dropProbe()), reasonName(d.reason())), d.count(), Long::sum);
            }
        }
        fig.unaccounted = Math.max(0, fig.sent - fig.received - fig.lost - fig.inFlight);
        return fig;
    }

    private Summary.Flow flowRow(FlowAggregate flow, int[] path, Figures fig) {
        int first = path[0], last = path[path.length - 1];
        SegmentAggregate e2e = segment(flow, first, last, KernelAggregates.END_TO_END);
        Summary.Latency latency = e2e == null || e2e.count() == 0 ? new Summary.Latency(0, 0, 0, 0, 0, 0)
                : new Summary.Latency(e2e.minNs(), (double) e2e.sumNs() / e2e.count(),
                        q(e2e, 0.50), q(e2e, 0.90), q(e2e, 0.99), e2e.maxNs(), q(e2e, 0.999));
        long span = flow.lastNs()[last] - flow.firstNs()[last];
        double throughput = span > 0 ? flow.bytes()[last] * 8e9 / span : 0;
        List<String> names = new ArrayList<>();
        for (int id : path) names.add(name(id));
        FlowKey key = key(flow);
        return new Summary.Flow(key.protocolName(), key.srcAddress(), key.srcPort(), key.dstAddress(), key.dstPort(),
                fig.sent, fig.received, fig.lost, fig.unaccounted, fig.inFlight, 0,
                flow.bytes()[first], flow.bytes()[last], fig.sent == 0 ? 0 : (double) fig.lost / fig.sent, throughput,
                flow.jitterNs(), latency, key, List.copyOf(names));
    }

    private void addSegments(FlowAggregate flow, int[] path, Figures fig, List<Summary.Segment> out) {
        SegmentAggregate e2e = segment(flow, path[0], path[path.length - 1], KernelAggregates.END_TO_END);
        double e2eMean = e2e == null || e2e.count() == 0 ? 0 : (double) e2e.sumNs() / e2e.count();
        for (int i = 0; i + 1 < path.length; i++) {
            SegmentAggregate s = segment(flow, path[i], path[i + 1], KernelAggregates.HOP);
            long packets = s == null ? 0 : s.count();
            double mean = packets == 0 ? 0 : (double) s.sumNs() / packets;
            Summary.SegmentLatency latency = new Summary.SegmentLatency(mean, packets == 0 ? 0 : q(s, 0.50),
                    packets == 0 ? 0 : q(s, 0.99));
            out.add(new Summary.Segment(key(flow).toString(), name(path[i]), name(path[i + 1]), packets,
                    fig.lostAt[i], 0, fig.inFlightAt[i], latency, e2eMean > 0 ? mean / e2eMean : 0));
        }
    }

    private static FlowKey key(FlowAggregate flow) {
        KernelAggregates.Tuple t = flow.tuple();
        return new FlowKey(t.family(), t.protocol(), t.srcHigh(), t.srcLow(), t.srcPort(), t.dstHigh(), t.dstLow(), t.dstPort());
    }

    private static SegmentAggregate segment(FlowAggregate flow, int from, int to, int kind) {
        for (SegmentAggregate s : flow.segments()) {
            if (s.from() == from && s.to() == to && s.kind() == kind) return s;
        }
        return null;
    }

    private static long q(SegmentAggregate s, double quantile) {
        return DelayBuckets.quantile(s.buckets(), quantile, s.minNs(), s.maxNs());
    }

    private String segmentAfter(int[] path, int i) {
        return name(path[i]) + " > " + name(path[i + 1]);
    }

    private boolean isSocket(int id) {
        int index = catalog.indexOf(id);
        return index >= 0 && catalog.get(index).socketProbe();
    }

    private static int indexIn(int[] path, int id) {
        for (int i = 0; i < path.length; i++) if (path[i] == id) return i;
        return -1;
    }

    private String name(int id) {
        int index = catalog.indexOf(id);
        return index >= 0 ? catalog.get(index).name() : "probe " + id;
    }

    private String reasonName(long code) {
        String name = dropReasonNames.apply((int) code);
        return name != null ? name : "drop reason " + code;
    }

    /** Every count of the aggregation's own that made a figure less than exact, one line each. */
    private static List<String> degraded(KernelAggregates k, Summary.OtherFlows other) {
        List<String> out = new ArrayList<>();
        Map<String, String> meaning = Map.of(
                "SIGHTINGS_DISPLACED", "journeys displaced from the sightings table by newer packets before their end: what they had not reached is unaccounted",
                "DELAYS_FULL", "delays counted in their segment but in no bucket (the delays map was full): percentiles from fewer",
                "SEGMENTS_FULL", "delays not added to a segment (the segments map was full)",
                "DROPS_FULL", "drops not counted by place (the drops map was full)",
                "OTHER_FLOW_PACKETS", "packets of flows past the first " + k.maxFlows() + " added up in other flows, without segments");
        k.counters().forEach((name, n) -> {
            if (n > 0 && meaning.containsKey(name)) out.add("aggregation: " + n + " " + meaning.get(name));
        });
        return List.copyOf(out);
    }
}
