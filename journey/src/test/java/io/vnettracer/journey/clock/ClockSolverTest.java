package io.vnettracer.journey.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The traffic estimator on simulated nodes with known clock offsets: packets cross real joins
 * ({@link SimulatedNodes} → JourneyJoiner → {@link CrossingDelays}) and the solver must give
 * intervals that hold the true offsets, as narrow as the minimum one-way delays allow.
 */
class ClockSolverTest {
    static final long VM2 = 3_700_000;   // vm2's clock is 3.7 ms ahead of the reference
    static final long HOST = -1_200_000; // the host's is 1.2 ms behind

    /** local a_out(0) a_in(1), vm2 b_in(2) b_out(3): ping local → vm2 at least 30 us, pong back at least 10 us. */
    static SimulatedNodes twoNodes(Map<String, Long> offsets, boolean withPong) {
        SimulatedNodes sim = new SimulatedNodes(offsets, "a_out", "a_in", "vm2/b_in", "vm2/b_out");
        sim.flow(4000, 5000, 1000, 1_000_000_000L, new int[] {0, 2}, new long[] {30_000}, 20_000);
        if (withPong) sim.flow(5000, 4000, 1000, 1_000_050_000L, new int[] {3, 1}, new long[] {10_000}, 5_000);
        return sim;
    }

    @Test
    void twoWayTrafficGivesTheOffsetWithinHalfTheSumOfTheMinimumDelays() {
        Crossings c = twoNodes(Map.of("vm2", VM2), true).crossings();
        ClockAlignment a = ClockSolver.solve(c, "local", Map.of(), Map.of());

        NodeClock vm2 = a.node("vm2");
        assertEquals(ClockSource.TRAFFIC, vm2.source());
        assertTrue(vm2.offset().allows(VM2), vm2 + " must allow " + VM2);
        // θ ∈ [VM2 − min(pong), VM2 + min(ping)]: half of 10 + 30 us, the minimums a little above the floors
        long u = vm2.offset().uncertaintyNanos();
        assertTrue(u >= 20_000 && u < 20_500, "uncertainty " + u);
        // the asymmetry (30 vs 10 us) shows as an error of about half their difference, within the bound
        assertEquals(VM2 + 10_000, vm2.offset().offsetNanos(), 500);
        assertEquals(ClockSource.REFERENCE, a.node("local").source());
        assertTrue(a.conflicts().isEmpty(), a.conflicts().toString());
    }

    @Test
    void threeNodesAreChainedThroughTheTightestPairs() {
        SimulatedNodes sim = new SimulatedNodes(Map.of("host", HOST, "vm2", VM2),
                "a_out", "host/br_a_in", "host/br_b_out", "vm2/b_in", "vm2/b_out", "host/br_b_in", "host/br_a_out", "a_in");
        long[] hops = {8_000, 3_000, 8_000};
        sim.flow(4000, 5000, 1000, 1_000_000_000L, new int[] {0, 1, 2, 3}, hops, 2_000);
        sim.flow(5000, 4000, 1000, 1_000_050_000L, new int[] {4, 5, 6, 7}, hops, 2_000);
        ClockAlignment a = ClockSolver.solve(sim.crossings(), "local", Map.of(), Map.of());

        NodeClock host = a.node("host"), vm2 = a.node("vm2");
        assertTrue(host.offset().allows(HOST), host.toString());
        assertTrue(vm2.offset().allows(VM2), vm2.toString());
        // local–host ±8 us and host–vm2 ±8 us chain to ±16 us; the direct local–vm2 pair gives ±19 us
        assertTrue(host.offset().uncertaintyNanos() < 8_100, host.toString());
        assertTrue(vm2.offset().uncertaintyNanos() < 16_200 && vm2.offset().uncertaintyNanos() >= 16_000, vm2.toString());
        assertEquals(ClockSource.TRAFFIC, vm2.source());
    }

    @Test
    void oneWayTrafficAloneSaysNothing() {
        ClockAlignment a = ClockSolver.solve(twoNodes(Map.of("vm2", VM2), false).crossings(), "local", Map.of(), Map.of());
        assertEquals(ClockSource.NONE, a.node("vm2").source());
        assertTrue(a.offsets().containsKey("local") && !a.offsets().containsKey("vm2"));
    }

    @Test
    void oneWayTrafficNarrowsTheRoundTripEstimateFromItsSide() {
        // jittery one-way traffic: 30 us plus up to 400 us of queueing, so it cannot have gone the other way
        SimulatedNodes sim = new SimulatedNodes(Map.of("vm2", VM2), "a_out", "vm2/b_in");
        sim.flow(4000, 5000, 1000, 1_000_000_000L, new int[] {0, 1}, new long[] {30_000}, 400_000);
        ClockOffset rpc = new ClockOffset(VM2 + 60_000, 100_000); // [VM2 − 40 us, VM2 + 160 us]
        ClockAlignment a = ClockSolver.solve(sim.crossings(), "local", Map.of(), Map.of("vm2", rpc));

        NodeClock vm2 = a.node("vm2");
        assertEquals(ClockSource.RPC_AND_TRAFFIC, vm2.source());
        assertTrue(vm2.offset().allows(VM2), vm2.toString());
        assertEquals(rpc.low(), vm2.offset().low(), 1, "the lower side is the round trip's");
        // the round trip's midpoint (VM2 + 60 us) lies beyond what the one-way minimum allows: moved to it
        assertTrue(vm2.offset().offsetNanos() < VM2 + 31_000, "the estimate is within the one-way minimum: " + vm2);
        assertTrue(vm2.offset().offsetNanos() > VM2 + 29_000, "and as near the round trip's midpoint as it allows: " + vm2);
    }

    @Test
    void aTightRoundTripEstimateIsKeptOverLooserTraffic() {
        ClockOffset rpc = new ClockOffset(VM2 + 2_000, 5_000);
        ClockAlignment a = ClockSolver.solve(twoNodes(Map.of("vm2", VM2), true).crossings(), "local", Map.of(),
                Map.of("vm2", rpc));
        assertEquals(new NodeClock("vm2", rpc, ClockSource.RPC), a.node("vm2"));
    }

    @Test
    void roundTripAndTrafficIntersect() {
        // round trip [VM2 − 25 us, VM2 + 5 us], traffic [VM2 − 10 us, VM2 + 30 us]: both narrow one side
        ClockOffset rpc = new ClockOffset(VM2 - 10_000, 15_000);
        ClockAlignment a = ClockSolver.solve(twoNodes(Map.of("vm2", VM2), true).crossings(), "local", Map.of(),
                Map.of("vm2", rpc));
        NodeClock vm2 = a.node("vm2");
        assertEquals(ClockSource.RPC_AND_TRAFFIC, vm2.source());
        assertTrue(vm2.offset().allows(VM2), vm2.toString());
        assertEquals(rpc.high(), vm2.offset().high(), 1);
        // the intersection is [VM2 − 10 us, VM2 + 5 us]; the round trip's midpoint VM2 − 10 us lies in it
        assertEquals(VM2 - 10_000, vm2.offset().offsetNanos(), 600);
    }

    @Test
    void aRoundTripEstimateThatNoDirectionOfTheTrafficAllowsIsAConflict() {
        // vm2 at VM2 + 40 us would make the ping's 30..50 us one-way delays both positive and negative
        ClockOffset rpc = new ClockOffset(VM2 + 40_000, 2_000);
        ClockAlignment a = ClockSolver.solve(twoNodes(Map.of("vm2", VM2), true).crossings(), "local", Map.of(),
                Map.of("vm2", rpc));
        assertEquals(new NodeClock("vm2", rpc, ClockSource.RPC), a.node("vm2"));
        assertEquals(1, a.conflicts().size());
        assertTrue(a.conflicts().get(0).startsWith("the traffic between local and vm2 allows no offset within"), a.conflicts().get(0));
    }

    @Test
    void offsetsAlreadyAppliedAreAddedBack() {
        // the events were corrected by a rough 3.6 ms before the join: the crossings measure the residual
        SimulatedNodes sim = twoNodes(Map.of("vm2", VM2), true);
        Map<String, ClockOffset> rough = Map.of("vm2", new ClockOffset(3_600_000, 0));
        CrossingDelays delays = new CrossingDelays(sim.catalog);
        sim.join(new ClockCorrector(sim.catalog, rough)::toReference, delays);
        NodeClock vm2 = ClockSolver.solve(delays.snapshot(), "local", rough, Map.of()).node("vm2");
        assertTrue(vm2.offset().allows(VM2), vm2.toString());
        assertTrue(vm2.offset().uncertaintyNanos() < 20_500, vm2.toString());
    }

    @Test
    void feasibleSetOfTwoFlowsOneEachWay() {
        var flows = java.util.List.of(new double[] {30, 60}, new double[] {-40, -10});
        assertEquals(new Interval(-10, 30), ClockSolver.feasible(flows, Interval.ALL));
        assertEquals(new Interval(-10, 20), ClockSolver.feasible(flows, new Interval(-100, 20)),
                "the gap between the flows (traffic both ways) is preferred to the outer ones");
        assertEquals(new Interval(-100, -40), ClockSolver.feasible(flows, new Interval(-100, -20)),
                "a prior that excludes the inner gap leaves the one-way reading");
        assertEquals(null, ClockSolver.feasible(flows, new Interval(35, 55)), "inside a flow's range: impossible");
        assertEquals(new Interval(60, 70), ClockSolver.feasible(java.util.List.of(new double[] {30, 60}), new Interval(50, 70)),
                "one flow: only outside its range");
    }
}
