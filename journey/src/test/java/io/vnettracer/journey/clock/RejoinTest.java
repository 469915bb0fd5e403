package io.vnettracer.journey.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole flow on simulated nodes: join as stamped, estimate, re-join corrected, and compare the
 * segments with the same packets stamped by one true clock.
 */
class RejoinTest {
    static final Map<String, Long> SKEWED = Map.of("host", -1_200_000L, "vm2", 3_700_000L);
    static final String[] PROBES = {"a_out", "host/br_a_in", "host/br_b_out", "vm2/b_in", "vm2/app_rx",
            "vm2/b_out", "host/br_b_in", "host/br_a_out", "a_in"};

    /** The same packets (same seed, same delays) stamped with {@code offsets}. */
    static SimulatedNodes traffic(Map<String, Long> offsets) {
        SimulatedNodes sim = new SimulatedNodes(offsets, PROBES);
        return traffic(sim, 2000, 1_000_000_000L);
    }

    static SimulatedNodes traffic(SimulatedNodes sim, int packets, long start) {
        return sim.pingPong(packets, start, new int[] {0, 1, 2, 3, 4}, new long[] {8_000, 3_000, 8_000, 40_000},
                new int[] {5, 6, 7, 8}, new long[] {8_000, 3_000, 8_000}, 4_000);
    }

    @Test
    void reJoinedSegmentsMatchOneTrueClockWithinTheStatedUncertainty() {
        Summary truth = traffic(Map.of()).join(e -> e, j -> { }).summary(id -> 0);

        SimulatedNodes skewed = traffic(SKEWED);
        ClockAlignment clocks = ClockSolver.solve(skewed.crossings(), ProbeCatalog.LOCAL_NODE, Map.of(), Map.of());
        ClockCorrector corrector = new ClockCorrector(skewed.catalog, clocks.offsets());
        JourneyJoiner rejoined = skewed.join(corrector::toReference, j -> { });
        rejoined.setNodeClocks(clocks.summaryNodes());
        Summary aligned = rejoined.summary(id -> 0);

        assertEquals(List.of(new Summary.Node("local", 0, 0, "reference"), aligned.nodes().get(1), aligned.nodes().get(2)),
                aligned.nodes());
        for (Summary.Node n : aligned.nodes()) {
            long trueOffset = SKEWED.getOrDefault(n.name(), 0L);
            assertTrue(Math.abs(n.offsetNs() - trueOffset) <= n.uncertaintyNs(), n + " vs true " + trueOffset);
        }
        assertEquals(truth.segments().size(), aligned.segments().size());
        int crossing = 0;
        for (int i = 0; i < truth.segments().size(); i++) {
            Summary.Segment t = truth.segments().get(i), a = aligned.segments().get(i);
            assertEquals(List.of(t.flow(), t.from(), t.to(), t.packets()), List.of(a.flow(), a.from(), a.to(), a.packets()));
            assertFalse(t.crossesClocks(), "one clock: " + t);
            boolean crosses = !ProbeCatalog.nodeOf(a.from()).equals(ProbeCatalog.nodeOf(a.to()));
            assertEquals(crosses, a.crossesClocks(), a.toString());
            if (crosses) {
                crossing++;
                long expected = node(aligned, a.from()).uncertaintyNs() + node(aligned, a.to()).uncertaintyNs();
                assertEquals(expected, a.clockUncertaintyNs());
                assertTrue(Math.abs(a.latencyNs().mean() - t.latencyNs().mean()) <= a.clockUncertaintyNs(),
                        a + " vs " + t);
            } else {
                assertEquals(t.latencyNs().mean(), a.latencyNs().mean(), 1e-6, "same clock, same delays: " + a);
            }
        }
        assertEquals(4, crossing, "two node boundaries each way");
    }

    @Test
    void withoutNodeClocksASummaryHasNoClockFields() {
        Summary s = traffic(SKEWED).join(e -> e, j -> { }).summary(id -> 0);
        assertTrue(s.nodes().isEmpty());
        assertTrue(s.segments().stream().noneMatch(Summary.Segment::crossesClocks));
    }

    @Test
    void aNodeNobodyEstimatedMakesItsSegmentsUnaligned() {
        SimulatedNodes skewed = traffic(SKEWED);
        Map<String, ClockOffset> roughlyAligned = Map.of("host", new ClockOffset(-1_200_000, 0), "vm2", new ClockOffset(3_700_000, 0));
        JourneyJoiner joiner = skewed.join(new ClockCorrector(skewed.catalog, roughlyAligned)::toReference, j -> { });
        joiner.setNodeClocks(List.of(new Summary.Node("local", 0, 0, "reference"), new Summary.Node("host", -1_200_000, 5_000, "rpc")));
        Summary s = joiner.summary(id -> 0);
        assertEquals(new Summary.Node("vm2", 0, Summary.Node.UNKNOWN, "none"), s.nodes().get(2));
        Summary.Segment toVm2 = s.segments().stream().filter(x -> x.from().equals("host/br_b_out")).findFirst().orElseThrow();
        assertEquals(Summary.Segment.UNALIGNED, toVm2.clockUncertaintyNs());
        Summary.Segment toHost = s.segments().stream().filter(x -> x.from().equals("a_out")).findFirst().orElseThrow();
        assertEquals(5_000, toHost.clockUncertaintyNs());
    }

    private static Summary.Node node(Summary s, String probe) {
        String name = ProbeCatalog.nodeOf(probe);
        return s.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }
}
