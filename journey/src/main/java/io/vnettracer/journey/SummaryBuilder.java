package io.vnettracer.journey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Turns the flows into a {@link Summary}: the figures of every flow still in the table (read off
 * its accumulator) with its open journeys, a row of open journeys only for a flow none of whose
 * journeys is finalized yet, the rows of flows retired since, and the flows folded into "other flows".
 */
final class SummaryBuilder {
    private final ProbeCatalog catalog;
    private final JoinerConfig config;
    private final FlowTable flows;
    private final RetiredFlows retired;
    private final FlowFigures figures;
    private final long[] eventsByProbe;
    private final JoinCounters counters;
    private final ProbeShortfalls shortfalls;

    SummaryBuilder(ProbeCatalog catalog, JoinerConfig config, FlowTable flows, RetiredFlows retired, FlowFigures figures,
                   long[] eventsByProbe, JoinCounters counters, ProbeShortfalls shortfalls) {
        this.catalog = catalog;
        this.config = config;
        this.flows = flows;
        this.retired = retired;
        this.figures = figures;
        this.eventsByProbe = eventsByProbe;
        this.counters = counters;
        this.shortfalls = shortfalls;
    }

    Summary build(IntToLongFunction ringLossesByProbeId) {
        List<Summary.Probe> probes = new ArrayList<>();
        long eventsLost = 0;
        for (ProbeCatalog.Probe p : catalog.probes()) {
            long lost = ringLossesByProbeId.applyAsLong(p.id());
            eventsLost += lost;
            probes.add(new Summary.Probe(p.name(), p.spec(), eventsByProbe[p.index()], lost,
                    shortfalls.coarsestSample(p.index())));
        }
        List<FlowRows> rows = retired.keptRows();
        Map<List<String>, Long> drops = new HashMap<>(retired.drops());
        for (int f = 0; f < flows.highWater(); f++) {
            if (!flows.isLive(f)) continue;
            int open = flows.openJourneys(f);
            if (flows.accumulator(f) == null) {
                // Live: a flow is listed from its first packet, its journeys counted as open.
                if (open > 0) rows.add(new FlowRows(flows.order(f), Summary.Flow.onlyOpen(flows.key(f), open), List.of(), Map.of()));
                continue;
            }
            FlowRows r = figures.of(flows.key(f), flows.accumulator(f), flows.order(f));
            r.drops().forEach((k, v) -> drops.merge(k, v, Long::sum));
            if (r.flow() != null) rows.add(open == 0 ? r : new FlowRows(r.order(), r.flow().withOpen(open), r.segments(), r.drops()));
            else if (open > 0) rows.add(new FlowRows(r.order(), Summary.Flow.onlyOpen(flows.key(f), open), List.of(), Map.of()));
        }
        rows.sort(Comparator.comparingLong(FlowRows::order));
        List<Summary.Flow> flowSummaries = new ArrayList<>(rows.size());
        List<Summary.Segment> segments = new ArrayList<>();
        for (FlowRows r : rows) {
            flowSummaries.add(r.flow());
            segments.addAll(r.segments());
        }
        List<Summary.Drop> dropList = new ArrayList<>();
        drops.forEach((pointAndReason, count) -> dropList.add(new Summary.Drop(pointAndReason.get(0), pointAndReason.get(1), count)));
        dropList.sort(Comparator.comparingLong(Summary.Drop::count).reversed()
                .thenComparing(Summary.Drop::probeOrPoint).thenComparing(Summary.Drop::reason));
        Summary.OtherFlows other = retired.other(config.maxFlows());
        return new Summary(Summary.VERSION, probes, flowSummaries, segments, dropList, eventsLost, counters, nodes(),
                degraded(probes, other), other);
    }

    /** The probes' causes, and the joiner's own: journeys finalized early, flows folded. */
    private List<String> degraded(List<Summary.Probe> probes, Summary.OtherFlows other) {
        List<String> out = new ArrayList<>(Degradation.of(probes));
        if (counters.evictedEarly() > 0) {
            out.add("journeys: " + counters.evictedEarly() + " finalized before their timeout (more than "
                    + config.maxJourneys() + " open); what they had not reached yet is unaccounted");
        }
        if (other.flows() > 0) {
            out.add("flows: " + other.flows() + " past the most kept apart (" + config.maxFlows()
                    + ") are added up in other flows, without segments");
        }
        return List.copyOf(out);
    }

    /** Every node of the catalog with its clock, when clocks were given; nodes nobody estimated read {@code none}. */
    private List<Summary.Node> nodes() {
        Map<String, Summary.Node> clocks = figures.clocks();
        if (clocks.isEmpty()) return List.of();
        List<Summary.Node> out = new ArrayList<>();
        for (String name : catalog.nodes()) {
            out.add(clocks.getOrDefault(name, new Summary.Node(name, 0, Summary.Node.UNKNOWN, "none")));
        }
        return List.copyOf(out);
    }
}
