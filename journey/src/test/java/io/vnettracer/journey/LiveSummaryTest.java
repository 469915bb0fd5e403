package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live summary lists a flow from its first packet, its journeys counted as open until they are
 * finalized, and the figures at the end of a trace are what they were without live summaries
 * (docs/JOURNEYS.md, "Live summaries").
 */
class LiveSummaryTest {
    private static final long MS = 1_000_000;
    private static final long TIMEOUT = 2_000 * MS;
    private static final Flow A = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);
    private static final Flow B = Flow.udp4(0x0a000001, 5001, 0x0a000002, 6000);

    private static JourneyJoiner joiner() {
        return new JourneyJoiner(JoiningTest.twoProbes(), JoinerConfig.defaults().withTimeoutNanos(TIMEOUT));
    }

    private static Summary.Flow flow(Summary s, Flow f) {
        return s.flows().stream().filter(r -> r.sport() == f.srcPort()).findFirst()
                .orElseThrow(() -> new AssertionError("no row for port " + f.srcPort() + ": " + s.flows()));
    }

    @Test
    void aFlowIsListedFromItsFirstSightingWithItsPacketOpen() {
        JourneyJoiner joiner = joiner();
        GeneratedEvents gen = new GeneratedEvents();
        gen.feed(joiner, Ev.packet(1, 10 * MS, A, 1, 0, 0, 100));

        Summary live = joiner.summary(id -> 0);
        assertEquals(1, live.flows().size(), "the flow is listed before its first journey is finalized: " + live.flows());
        Summary.Flow row = live.flows().getFirst();
        assertEquals(1, row.open(), "its packet is open: " + row);
        assertEquals(0, row.sent(), "and counted nowhere else yet: " + row);
        assertEquals(0, row.received() + row.lost() + row.unaccounted() + row.inFlight(), row.toString());
        assertEquals(List.of(), row.path(), "no path until a journey is finalized");
        assertEquals(0, live.segments().size());
        assertEquals(0, live.counters().journeys());

        gen.feed(joiner, Ev.packet(2, 10 * MS + 50_000, A, 1, 0, 0, 100));
        assertEquals(1, flow(joiner.summary(id -> 0), A).open(), "a second sighting of the packet is the same open journey");
    }

    @Test
    void figuresCountFinalizedJourneysAndOpenTheRest() {
        JourneyJoiner joiner = joiner();
        GeneratedEvents gen = new GeneratedEvents();
        // 30 packets of A 100 ms apart (the last 19 within the timeout of the newest); B's first at the end.
        for (int i = 0; i < 30; i++) {
            long t = 10 * MS + i * 100 * MS;
            gen.feed(joiner, Ev.packet(1, t, A, i, 0, 0, 100));
            gen.feed(joiner, Ev.packet(2, t + 50_000, A, i, 0, 0, 100));
        }
        gen.feed(joiner, Ev.packet(1, 2_910 * MS, B, 100, 0, 0, 100));

        Summary live = joiner.summary(id -> 0);
        Summary.Flow a = flow(live, A);
        long finalized = live.counters().journeys();
        assertEquals(10, finalized, "journeys whose first sighting is 2 s behind the newest event");
        assertEquals(finalized, a.sent(), "sent counts finalized journeys: " + a);
        assertEquals(finalized, a.received(), a.toString());
        assertEquals(30 - finalized, a.open(), "the rest are open: " + a);
        assertEquals(List.of("tx", "rx"), a.path());
        assertEquals(1, flow(live, B).open());
        assertEquals(List.of(5000, 5001), live.flows().stream().map(Summary.Flow::sport).toList(),
                "flows in the order they appeared, an open-only one too");

        joiner.flush();
        Summary end = joiner.summary(id -> 0);
        assertEquals(30, flow(end, A).sent());
        assertEquals(0, flow(end, A).open(), "nothing is open once flushed");
        assertEquals(0, flow(end, B).open());
        assertEquals(1, flow(end, B).sent());
    }

    @Test
    void liveSummariesDoNotChangeTheFinalFigures() {
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long t = 10 * MS + i * 20 * MS;
            Flow f = i % 3 == 0 ? B : A;
            events.add(Ev.packet(1, t, f, i, 0, 0, 100 + i % 7));
            if (i % 11 != 0) events.add(Ev.packet(2, t + 40_000 + (i % 5) * 3_000, f, i, 0, 0, 100 + i % 7));
        }
        JourneyJoiner watched = joiner();
        GeneratedEvents gen = new GeneratedEvents();
        boolean sawOpen = false;
        for (int i = 0; i < events.size(); i++) {
            gen.feed(watched, events.get(i));
            if (i % 37 == 0) {
                Summary live = watched.summary(id -> 0);
                sawOpen |= live.flows().stream().anyMatch(r -> r.open() > 0);
            }
        }
        assertTrue(sawOpen, "the live summaries had open journeys");
        watched.flush();
        Summary withLive = watched.summary(id -> 0);
        Summary without = JoiningTest.run(JoiningTest.twoProbes(), events);
        // run() uses the default timeout: the same 2 s.
        assertEquals(without.flows(), withLive.flows());
        assertEquals(without.segments(), withLive.segments());
        assertEquals(without.drops(), withLive.drops());
        assertEquals(without.counters().journeys(), withLive.counters().journeys());
    }

    @Test
    void flowsAppearedGrowsWithEachNewFlowOnly() {
        JourneyJoiner joiner = joiner();
        GeneratedEvents gen = new GeneratedEvents();
        assertEquals(0, joiner.flowsAppeared());
        gen.feed(joiner, Ev.packet(1, 10 * MS, A, 1, 0, 0, 100));
        gen.feed(joiner, Ev.packet(1, 11 * MS, A, 2, 0, 0, 100));
        gen.feed(joiner, Ev.packet(2, 11 * MS + 50_000, A, 2, 0, 0, 100));
        assertEquals(1, joiner.flowsAppeared(), "more packets of a known flow are no new flow");
        gen.feed(joiner, Ev.packet(1, 12 * MS, B, 3, 0, 0, 100));
        assertEquals(2, joiner.flowsAppeared());
    }

    @Test
    void pacingPublishesOnceASecondAndAtOnceForANewFlow() {
        SummaryPacing pacing = new SummaryPacing();
        assertTrue(pacing.due(0, 0), "the first pass publishes");
        assertFalse(pacing.due(500 * MS, 0), "nothing new within the second");
        assertTrue(pacing.due(600 * MS, 1), "a new flow publishes at once");
        assertFalse(pacing.due(600 * MS + SummaryPacing.NEW_FLOW_GAP_NANOS - 1, 2),
                "another new flow within the gap waits (a flood of new flows costs a bounded number of summaries)");
        assertTrue(pacing.due(600 * MS + SummaryPacing.NEW_FLOW_GAP_NANOS, 2), "and goes once the gap has passed");
        assertFalse(pacing.due(1_500 * MS, 2), "the second restarts with each summary");
        assertTrue(pacing.due(600 * MS + SummaryPacing.NEW_FLOW_GAP_NANOS + SummaryPacing.EVERY_NANOS, 2));
    }

    @Test
    void aCostlySummaryHoldsBackTheEarlyOnes() {
        SummaryPacing pacing = new SummaryPacing();
        assertTrue(pacing.due(0, 0));
        pacing.built(30 * MS);
        assertFalse(pacing.due(100 * MS, 1), "a summary that took 30 ms leaves the thread alone for 300 ms");
        assertTrue(pacing.due(SummaryPacing.BUDGET * 30 * MS, 1));
        pacing.built(400 * MS);
        assertFalse(pacing.due(300 * MS + 900 * MS, 2), "no early one after a 400 ms summary...");
        assertTrue(pacing.due(300 * MS + SummaryPacing.EVERY_NANOS, 2), "...but the one a second still comes");
    }
}
