package io.vnettracer.journey.clock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One offset per node from the crossing traffic ({@link Crossings}) and, where the agents measured
 * them, round-trip estimates ({@link RoundTripEstimator}).
 *
 * <p>Per node pair a, b the flows' measurements leave θ = offset(b) − offset(a) outside every
 * flow's (minLow, maxHigh): the feasible set is a union of gaps. Within the prior for θ (what the
 * nodes' round-trip or already chained intervals allow), the solver takes the hull of the bounded
 * feasible parts. With one flow each way that is [−min(b→a), min(a→b)], the textbook interval.
 * Without any prior, a pair whose flows leave a gap between them is taken to carry traffic both
 * ways; a pair with traffic one way only gives nothing unless a prior bounds the other side.
 *
 * <p>Offsets are then chained from the reference node through the tightest pairs (Dijkstra on the
 * interval widths: uncertainties add along a chain) and intersected with each node's round-trip
 * interval; {@link ClockSource} says which narrowed the result.
 */
public final class ClockSolver {
    private ClockSolver() {}

    /**
     * @param crossings what {@link CrossingDelays} measured, in the time base of the events it saw
     * @param reference the node whose clock the others are measured against (offset 0)
     * @param applied   the offsets the events had already been corrected by ({@link ClockCorrector})
     *                  before they were joined, by node; absent nodes: 0. Only their offsets count.
     * @param roundTrip round-trip estimates of nodes' offsets to the reference, by node (may be empty)
     */
    public static ClockAlignment solve(Crossings crossings, String reference, Map<String, ClockOffset> applied,
                                       Map<String, ClockOffset> roundTrip) {
        List<String> names = new ArrayList<>(crossings.nodes());
        for (String n : roundTrip.keySet()) if (!names.contains(n)) names.add(n);
        if (!names.contains(reference)) names.add(reference);
        int count = names.size();
        int ref = names.indexOf(reference);

        // Everything below is in the events' time base: a node's offset there is its offset minus what was applied.
        double[] shift = new double[count];
        for (int n = 0; n < count; n++) {
            ClockOffset a = applied.get(names.get(n));
            shift[n] = a == null ? 0 : a.offsetNanos();
        }
        Interval[] current = new Interval[count];
        boolean[] byRoundTrip = new boolean[count];
        boolean[] byTraffic = new boolean[count];
        for (int n = 0; n < count; n++) {
            ClockOffset rt = roundTrip.get(names.get(n));
            if (n == ref) {
                current[n] = new Interval(-shift[n], -shift[n]);
            } else if (rt != null) {
                current[n] = Interval.of(rt).shift(-shift[n]);
                byRoundTrip[n] = true;
            } else {
                current[n] = Interval.ALL;
            }
        }
        Map<Long, List<double[]>> flowsByPair = new HashMap<>();
        for (Crossings.Entry e : crossings.entries()) {
            flowsByPair.computeIfAbsent(pairKey(e.a(), e.b()), k -> new ArrayList<>())
                    .add(new double[] {e.minLow(), e.maxHigh()});
        }
        List<String> conflicts = new ArrayList<>();
        boolean[] settled = new boolean[count];
        while (true) {
            int u = -1;
            for (int n = 0; n < count; n++) {
                if (!settled[n] && current[n].bounded() && (u < 0 || current[n].width() < current[u].width())) u = n;
            }
            if (u < 0) break;
            settled[u] = true;
            for (int v = 0; v < count; v++) {
                if (settled[v]) continue;
                List<double[]> flows = flowsByPair.get(pairKey(Math.min(u, v), Math.max(u, v)));
                if (flows == null) continue;
                Interval prior = current[v].minus(current[u]);
                Interval theta = between(u, v, flows, prior);
                if (theta == null) {
                    conflicts.add("the traffic between " + names.get(u) + " and " + names.get(v)
                            + " allows no offset within " + describe(prior) + "; it was not used");
                    continue;
                }
                if (!theta.bounded()) continue;
                Interval chained = current[u].plus(theta);
                Interval narrowed = chained.intersect(current[v]);
                if (narrowed.width() < current[v].width()) {
                    // did v's own round-trip interval narrow what the traffic alone gives?
                    Interval trafficAlone = current[u].plus(between(u, v, flows, Interval.ALL));
                    boolean clippedByPrior = narrowed.width() < trafficAlone.width();
                    byRoundTrip[v] = (clippedByPrior && byRoundTrip[v]) || byRoundTrip[u];
                    byTraffic[v] = true;
                    current[v] = narrowed;
                }
            }
        }
        List<NodeClock> clocks = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String name = names.get(n);
            if (n == ref) {
                clocks.add(new NodeClock(name, ClockOffset.ZERO, ClockSource.REFERENCE));
            } else if (!current[n].bounded()) {
                clocks.add(new NodeClock(name, null, ClockSource.NONE));
            } else {
                Interval total = current[n].shift(shift[n]);
                ClockSource source = byTraffic[n] ? (byRoundTrip[n] ? ClockSource.RPC_AND_TRAFFIC : ClockSource.TRAFFIC)
                        : ClockSource.RPC;
                clocks.add(new NodeClock(name, estimate(total, roundTrip.get(name)), source));
            }
        }
        return new ClockAlignment(reference, clocks, conflicts);
    }

    /**
     * The offset within the node's final interval. Without a round-trip estimate: the midpoint
     * (minimum delays alike both ways). With one: the round-trip midpoint moved into the interval,
     * because traffic that crossed one way only bounds one side (θ ≤ the minimum delay that way),
     * and the midpoint of [round-trip low, that bound] would be off by half the round trip. The
     * uncertainty still covers the whole interval.
     */
    static ClockOffset estimate(Interval total, ClockOffset roundTrip) {
        if (roundTrip == null) {
            return ClockOffset.covering(total.low(), total.high());
        }
        double point = Math.max(total.low(), Math.min(total.high(), roundTrip.offsetNanos()));
        long offset = Math.round(point);
        long uncertainty = (long) Math.ceil(Math.max(offset - total.low(), total.high() - offset));
        return new ClockOffset(offset, uncertainty);
    }

    /**
     * Where θ = offset(b) − offset(a) can lie given every flow's (minLow, maxHigh) between a and b and
     * the prior. The flows' ranges leave gaps; the gaps between two ranges (traffic both ways) are
     * preferred to the two outer ones (all traffic one way): the hull of the inner gaps within the
     * prior, else of the outer ones within it (unbounded: the traffic says nothing there); null when
     * nothing within the prior is left.
     */
    static Interval feasible(List<double[]> flows, Interval prior) {
        List<double[]> sorted = new ArrayList<>(flows);
        sorted.sort(Comparator.comparingDouble(f -> f[0]));
        List<Interval> gaps = new ArrayList<>();
        double gapStart = Double.NEGATIVE_INFINITY;
        double forbiddenEnd = Double.NEGATIVE_INFINITY;
        for (double[] f : sorted) {
            if (f[0] >= f[1]) continue; // a flow of one constant delay forbids no open interval
            if (f[0] >= forbiddenEnd) {
                gaps.add(new Interval(gapStart, f[0]));
                gapStart = f[1];
            } else {
                gapStart = Math.max(gapStart, f[1]);
            }
            forbiddenEnd = Math.max(forbiddenEnd, f[1]);
        }
        gaps.add(new Interval(gapStart, Double.POSITIVE_INFINITY));
        Interval inner = null;
        Interval outer = null;
        for (int i = 0; i < gaps.size(); i++) {
            Interval c = gaps.get(i).intersect(prior);
            if (c.empty()) continue;
            if (i > 0 && i < gaps.size() - 1) inner = inner == null ? c : inner.hull(c);
            else outer = outer == null ? c : outer.hull(c);
        }
        return inner != null ? inner : outer;
    }

    /** θ = offset(v) − offset(u) from the pair's flows, which are measured as offset(b) − offset(a) with a < b. */
    private static Interval between(int u, int v, List<double[]> flows, Interval prior) {
        if (u < v) return feasible(flows, prior);
        Interval reversed = feasible(flows, prior.negate());
        return reversed == null ? null : reversed.negate();
    }

    private static long pairKey(int a, int b) {
        return (long) a << 32 | b;
    }

    private static String describe(Interval i) {
        return String.format(java.util.Locale.ROOT, "[%.0f, %.0f] ns", i.low(), i.high());
    }
}
