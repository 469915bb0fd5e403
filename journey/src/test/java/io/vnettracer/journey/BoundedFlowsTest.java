package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The joiner's memory is bounded by its configuration, not by the traffic, and every packet it
 * stops keeping apart is still counted (docs/JOURNEYS.md, "Bounded memory").
 */
class BoundedFlowsTest {
    private static final long MS = 1_000_000;
    private static final Flow BIG = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);

    private static ProbeCatalog twoProbes() {
        return JoiningTest.twoProbes();
    }

    private static Flow small(int i) {
        return Flow.udp4(0x0a000003, 10_000 + i, 0x0a000002, 6000);
    }

    /** One packet of {@code flow} seen at both probes, 50 µs apart. */
    private static void packet(GeneratedEvents gen, JourneyJoiner joiner, Flow flow, int number, long ts) {
        gen.feed(joiner, Ev.packet(1, ts, flow, number, 0, 0, 100));
        gen.feed(joiner, Ev.packet(2, ts + 50_000, flow, number, 0, 0, 100));
    }

    private static long sent(Summary s) {
        return s.flows().stream().mapToLong(Summary.Flow::sent).sum() + s.otherFlows().sent();
    }

    @Test
    void flowsPastTheCapAreFoldedIntoOtherFlowsAndEveryPacketStaysCounted() {
        JourneyJoiner joiner = new JourneyJoiner(twoProbes(), JoinerConfig.defaults().withTimeoutNanos(MS).withMaxFlows(4));
        GeneratedEvents gen = new GeneratedEvents();
        int number = 0;
        // A busy flow throughout, and 100 flows of one packet each among its packets.
        for (int i = 0; i < 100; i++) {
            long t = 10 * MS + i * 3 * MS;
            packet(gen, joiner, BIG, number++, t);
            packet(gen, joiner, small(i), number++, t + MS);
        }
        joiner.flush();
        Summary s = joiner.summary(id -> 0);
        assertEquals(4, s.flows().size(), "no more rows than --max-flows");
        assertEquals(97, s.otherFlows().flows(), "the 101 flows minus the 4 kept are folded: " + s.otherFlows());
        assertEquals(97, s.counters().flowsFolded());
        assertEquals(200, sent(s), "every packet is in a row or in other flows");
        assertEquals(97, s.otherFlows().received());
        assertEquals(0, s.otherFlows().lost());
        Summary.Flow big = s.flows().stream().filter(f -> f.sport() == 5000).findFirst().orElseThrow();
        assertEquals(100, big.sent(), "the flow active all along keeps its row, whole");
        assertEquals(50_000, big.latencyNs().p50(), 50_000 * 0.01);
        assertTrue(s.degraded().stream().anyMatch(d -> d.contains("other flows")), s.degraded().toString());
    }

    @Test
    void anIdleFlowIsFinalizedIntoItsRowAndComesBackAsANewRow() {
        JourneyJoiner joiner = new JourneyJoiner(twoProbes(),
                JoinerConfig.defaults().withTimeoutNanos(MS).withFlowIdleNanos(1_000 * MS));
        GeneratedEvents gen = new GeneratedEvents();
        for (int i = 0; i < 10; i++) packet(gen, joiner, BIG, i, 10 * MS + i * MS);
        joiner.advanceTo(2_000 * MS);
        assertEquals(1, joiner.counters().flowsEvictedIdle(), "idle for more than --flow-idle");
        for (int i = 10; i < 13; i++) packet(gen, joiner, BIG, i, 3_000 * MS + i * MS);
        joiner.flush();
        Summary s = joiner.summary(id -> 0);
        assertEquals(List.of(10L, 3L), s.flows().stream().map(Summary.Flow::sent).toList(),
                "two rows of one 5-tuple, in order of appearance, as a NetFlow inactive timeout makes");
        assertEquals(0, s.otherFlows().flows());
        assertEquals(2, s.segments().size(), "the evicted row keeps its segment");
    }

    @Test
    void journeysFinalizedEarlyForWantOfSlotsAreUnaccountedNotLost() {
        JourneyJoiner joiner = new JourneyJoiner(twoProbes(), JoinerConfig.defaults().withCapacity(4, 8));
        GeneratedEvents gen = new GeneratedEvents();
        // 20 packets leave before the first arrives: only 8 journeys may be open at once.
        for (int i = 0; i < 20; i++) gen.feed(joiner, Ev.packet(1, 10 * MS + i * 1_000, BIG, i, 0, 0, 100));
        for (int i = 0; i < 20; i++) gen.feed(joiner, Ev.packet(2, 11 * MS + i * 1_000, BIG, i, 0, 0, 100));
        joiner.flush();
        Summary s = joiner.summary(id -> 0);
        Summary.Flow f = s.flows().getFirst();
        assertTrue(s.counters().evictedEarly() > 0);
        assertEquals(0, f.lost(), "the tracer's own bound is no network loss: " + f);
        assertTrue(f.unaccounted() > 0, f.toString());
        assertTrue(s.degraded().stream().anyMatch(d -> d.contains("before their timeout")), s.degraded().toString());
    }
}
