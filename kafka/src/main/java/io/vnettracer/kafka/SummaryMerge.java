package io.vnettracer.kafka;

import io.vnettracer.journey.FlowKey;
import io.vnettracer.journey.JoinCounters;
import io.vnettracer.journey.JoinerFigures;
import io.vnettracer.journey.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Adds up the partial summaries of joiners that saw disjoint packets: the partitions of one
 * collector, or the collectors of one consumer group. Exact: every count (events per probe, sent,
 * received, lost, packets and losses per segment, drops, joiner counters), latency min, max and
 * mean, percentiles (read off the merged histograms, as a single joiner reads its own), throughput
 * (bytes over the merged first-to-last interval). Approximate, as documented in docs/KAFKA.md:
 * jitter and segment shares (means weighted by journeys). Ring-buffer losses are per node, the same
 * in every part: the largest is taken, not the sum; so is the coarsest sampling.
 *
 * <p>Why a packet was missing (lost, unaccounted, in flight; docs/JOURNEYS.md) was decided by each
 * part, which alone saw the packet: the parts' unaccounted and in-flight counts, and what each
 * excused from its own loss, add up; the merged loss is what the merged figures leave unexcused.
 */
public final class SummaryMerge {
    private SummaryMerge() {}

    private record PairKey(FlowKey flow, String from, String to) {}

    private record ProbeKey(FlowKey flow, String probe) {}

    /**
     * What the parts decided about a flow's or segment's missing sightings: unaccounted, in flight,
     * retransmitted, all the parts excused from their loss (those three and segments without payload
     * never expected at a socket), and received short of the path's last probe (no payload).
     */
    private static final class Excused {
        long unaccounted, inFlight, retransmits, excused, receivedShort;
    }

    /** Merges {@code parts}; {@code lostByProbe} adds ring-buffer losses known from elsewhere (the catalogs). */
    public static PartialSummary merge(List<PartialSummary> parts, Map<String, Long> lostByProbe) {
        Map<PairKey, JoinerFigures.Pair> pairs = new LinkedHashMap<>();
        Map<ProbeKey, JoinerFigures.Sightings> sightings = new LinkedHashMap<>();
        for (PartialSummary part : parts) {
            for (JoinerFigures.Pair p : part.figures().pairs()) pairs.merge(new PairKey(p.flow(), p.from(), p.to()), p, SummaryMerge::add);
            for (JoinerFigures.Sightings s : part.figures().sightings()) sightings.merge(new ProbeKey(s.flow(), s.probe()), s, SummaryMerge::add);
        }
        Figures figures = new Figures(pairs, sightings);

        Map<String, Summary.Probe> probes = new LinkedHashMap<>();
        JoinCounters counters = new JoinCounters();
        Map<FlowKey, Summary.Flow> pathOwners = new LinkedHashMap<>();
        Map<List<String>, Long> drops = new LinkedHashMap<>();
        Map<List<String>, double[]> shares = new LinkedHashMap<>();
        Map<Object, Excused> excused = new LinkedHashMap<>();
        for (PartialSummary part : parts) {
            Summary s = part.summary();
            for (Summary.Probe p : s.probes()) {
                probes.merge(p.name(), p, (a, b) -> new Summary.Probe(a.name(), a.spec(), a.events() + b.events(),
                        Math.max(a.lost(), b.lost()), Math.max(a.sampleEvery(), b.sampleEvery())));
            }
            counters = counters.plus(s.counters());
            Figures own = Figures.of(part.figures());
            for (Summary.Flow f : s.flows()) {
                pathOwners.merge(f.key(), f, SummaryMerge::longerPath);
                Excused x = excused.computeIfAbsent(f.key(), k -> new Excused());
                String first = f.path().getFirst(), last = f.path().getLast();
                x.unaccounted += f.unaccounted();
                x.inFlight += f.inFlight();
                x.retransmits += f.retransmits();
                long notReceived = f.path().size() == 1 ? 0 : f.sent() - own.seenAtBoth(f.key(), first, last);
                x.excused += notReceived - f.lost();
                x.receivedShort += f.received() - own.seen(f.key(), last);
            }
            for (Summary.Segment g : s.segments()) {
                FlowKey key = s.flows().stream().filter(f -> f.key().toString().equals(g.flow())).findFirst().orElseThrow().key();
                Excused x = excused.computeIfAbsent(new PairKey(key, g.from(), g.to()), k -> new Excused());
                x.unaccounted += g.unaccounted();
                x.inFlight += g.inFlight();
                x.excused += own.seen(key, g.from()) - g.packets() - g.lost();
            }
            for (Summary.Drop d : s.drops()) drops.merge(List.of(d.probeOrPoint(), d.reason()), d.count(), Long::sum);
            for (Summary.Segment g : s.segments()) {
                double[] weighted = shares.computeIfAbsent(List.of(g.flow(), g.from(), g.to()), k -> new double[2]);
                weighted[0] += g.share() * g.packets();
                weighted[1] += g.packets();
            }
        }
        List<Summary.Probe> probeList = new ArrayList<>();
        long eventsLost = 0;
        for (Summary.Probe p : probes.values()) {
            long lost = Math.max(p.lost(), lostByProbe.getOrDefault(p.name(), 0L));
            eventsLost += lost;
            probeList.add(new Summary.Probe(p.name(), p.spec(), p.events(), lost, p.sampleEvery()));
        }
        List<Summary.Flow> flows = new ArrayList<>();
        List<Summary.Segment> segments = new ArrayList<>();
        for (Summary.Flow owner : pathOwners.values()) {
            flows.add(figures.flow(owner, excused.getOrDefault(owner.key(), new Excused())));
            List<String> path = owner.path();
            for (int i = 0; i + 1 < path.size(); i++) {
                double[] w = shares.getOrDefault(List.of(owner.key().toString(), path.get(i), path.get(i + 1)), new double[2]);
                Excused x = excused.getOrDefault(new PairKey(owner.key(), path.get(i), path.get(i + 1)), new Excused());
                segments.add(figures.segment(owner.key(), path.get(i), path.get(i + 1), w[1] == 0 ? 0 : w[0] / w[1], x));
            }
        }
        List<Summary.Drop> dropList = new ArrayList<>();
        drops.forEach((k, n) -> dropList.add(new Summary.Drop(k.get(0), k.get(1), n)));
        dropList.sort(Comparator.comparingLong(Summary.Drop::count).reversed());
        Summary.OtherFlows other = Summary.OtherFlows.NONE;
        for (PartialSummary part : parts) other = other.plus(part.summary().otherFlows());
        Summary plain = new Summary(Summary.VERSION, probeList, flows, segments, dropList, eventsLost, counters);
        Summary summary = new Summary(plain.version(), probeList, flows, segments, dropList, eventsLost, counters,
                plain.nodes(), plain.degraded(), other);
        return new PartialSummary(summary, new JoinerFigures(List.copyOf(pairs.values()), List.copyOf(sightings.values())));
    }

    /** The flow whose path has more probes (then more sent) decides the merged path. */
    private static Summary.Flow longerPath(Summary.Flow a, Summary.Flow b) {
        if (b.path().size() != a.path().size()) return b.path().size() > a.path().size() ? b : a;
        return b.sent() > a.sent() ? b : a;
    }

    private static JoinerFigures.Pair add(JoinerFigures.Pair a, JoinerFigures.Pair b) {
        Histogram h = a.delays().copy();
        h.add(b.delays());
        long count = a.count() + b.count();
        double jitter = count == 0 ? 0 : (a.jitterNs() * a.count() + b.jitterNs() * b.count()) / count;
        return new JoinerFigures.Pair(a.flow(), a.from(), a.to(), count, a.sum() + b.sum(), Math.min(a.min(), b.min()),
                Math.max(a.max(), b.max()), jitter, h);
    }

    private static JoinerFigures.Sightings add(JoinerFigures.Sightings a, JoinerFigures.Sightings b) {
        return new JoinerFigures.Sightings(a.flow(), a.probe(), a.journeys() + b.journeys(), a.bytes() + b.bytes(),
                Math.min(a.firstSeenNs(), b.firstSeenNs()), Math.max(a.lastSeenNs(), b.lastSeenNs()));
    }

    /** The merged figures, read the way the journey module's summary builder reads one joiner's. */
    private record Figures(Map<PairKey, JoinerFigures.Pair> pairs, Map<ProbeKey, JoinerFigures.Sightings> sightings) {
        /** One part's own figures, to read what it saw. */
        static Figures of(JoinerFigures f) {
            Map<PairKey, JoinerFigures.Pair> pairs = new LinkedHashMap<>();
            Map<ProbeKey, JoinerFigures.Sightings> sightings = new LinkedHashMap<>();
            for (JoinerFigures.Pair p : f.pairs()) pairs.put(new PairKey(p.flow(), p.from(), p.to()), p);
            for (JoinerFigures.Sightings s : f.sightings()) sightings.put(new ProbeKey(s.flow(), s.probe()), s);
            return new Figures(pairs, sightings);
        }

        long seen(FlowKey flow, String probe) {
            JoinerFigures.Sightings s = sightings.get(new ProbeKey(flow, probe));
            return s == null ? 0 : s.journeys();
        }

        JoinerFigures.Pair pair(FlowKey flow, String from, String to) {
            return pairs.get(new PairKey(flow, from, to));
        }

        long seenAtBoth(FlowKey flow, String a, String b) {
            JoinerFigures.Pair ab = pair(flow, a, b), ba = pair(flow, b, a);
            return (ab == null ? 0 : ab.count()) + (ba == null ? 0 : ba.count());
        }

        Summary.Flow flow(Summary.Flow owner, Excused x) {
            FlowKey key = owner.key();
            List<String> path = owner.path();
            String first = path.get(0), last = path.get(path.size() - 1);
            long sent = seen(key, first), received = seen(key, last) + x.receivedShort;
            long lost = path.size() == 1 ? 0 : Math.max(0, sent - seenAtBoth(key, first, last) - x.excused);
            JoinerFigures.Pair e2e = path.size() == 1 ? null : pair(key, first, last);
            Summary.Latency latency = e2e == null || e2e.count() == 0 ? new Summary.Latency(0, 0, 0, 0, 0, 0)
                    : new Summary.Latency(e2e.min(), (double) e2e.sum() / e2e.count(), at(e2e, 50), at(e2e, 90), at(e2e, 99),
                            e2e.max(), at(e2e, 99.9));
            return new Summary.Flow(owner.proto(), owner.src(), owner.sport(), owner.dst(), owner.dport(), sent, received, lost,
                    x.unaccounted, x.inFlight, x.retransmits, bytes(key, first), bytes(key, last), sent == 0 ? 0 : (double) lost / sent, throughputBps(key, last), e2e == null ? 0 : e2e.jitterNs(), latency,
                    key, path);
        }

        Summary.Segment segment(FlowKey key, String from, String to, double share, Excused x) {
            JoinerFigures.Pair p = pair(key, from, to);
            long packets = seenAtBoth(key, from, to);
            Summary.SegmentLatency latency = p == null || p.count() == 0 ? new Summary.SegmentLatency(0, 0, 0)
                    : new Summary.SegmentLatency((double) p.sum() / p.count(), at(p, 50), at(p, 99));
            return new Summary.Segment(key.toString(), from, to, packets, Math.max(0, seen(key, from) - packets - x.excused),
                    x.unaccounted, x.inFlight, latency, share);
        }

        private long bytes(FlowKey key, String probe) {
            JoinerFigures.Sightings s = sightings.get(new ProbeKey(key, probe));
            return s == null ? 0 : s.bytes();
        }

        private double throughputBps(FlowKey key, String probe) {
            JoinerFigures.Sightings s = sightings.get(new ProbeKey(key, probe));
            if (s == null || s.journeys() < 2 || s.lastSeenNs() <= s.firstSeenNs()) return 0;
            return s.bytes() * 8 * 1e9 / (s.lastSeenNs() - s.firstSeenNs());
        }

        private static long at(JoinerFigures.Pair p, double percentile) {
            return p.delays().getValueAtPercentile(percentile);
        }
    }
}
