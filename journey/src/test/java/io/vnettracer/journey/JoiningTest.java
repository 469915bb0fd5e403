package io.vnettracer.journey;

import static io.vnettracer.event.EventLayout.FLAG_TAG_INSERTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoiningTest {
    static final Flow A = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);
    static final Flow B = Flow.udp4(0x0a000003, 7000, 0x0a000002, 6001);
    static final Flow V6 = Flow.udp6(0xfd00_0000_0000_0000L, 1, 4000, 0xfd00_0000_0000_0000L, 2, 4001);

    static ProbeCatalog twoProbes() {
        return new ProbeCatalog().probe(1, "tx", "tc egress dev a").probe(2, "rx", "tc ingress dev b");
    }

    static Summary run(ProbeCatalog catalog, List<Ev> events) {
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        new GeneratedEvents().feed(joiner, events);
        joiner.flush();
        return joiner.summary(id -> 0);
    }

    @Test
    void jitterFollowsRfc3550OverTransitTimesInSendOrder() {
        long[] transit = {100_000, 130_000, 110_000, 110_000, 170_000};
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < transit.length; i++) {
            long sent = 1_000_000 + i * 1_000_000L;
            events.add(Ev.packet(1, sent, A, i, 0, 0, 100));
            events.add(Ev.packet(2, sent + transit[i], A, i, 0, 0, 100));
        }
        // The receiver's events arrive first and in reverse: the joiner must restore send order.
        List<Ev> rx = new ArrayList<>(events.stream().filter(e -> e.probeId() == 2).toList());
        java.util.Collections.reverse(rx);
        List<Ev> fed = new ArrayList<>(rx);
        fed.addAll(events.stream().filter(e -> e.probeId() == 1).toList());
        // J += (|D(i-1,i)| - J) / 16 with D = 30000, 20000, 0, 60000 ns, by hand:
        // 1875, 3007.8125, 2819.82421875, 6393.585205078125
        assertEquals(6393.585205078125, run(twoProbes(), fed).flows().getFirst().jitterNs(), 1e-9);
    }

    @Test
    void untaggedSocketSightingsJoinTheTagThroughTheInsertingProbesFingerprint() {
        ProbeCatalog catalog = new ProbeCatalog().probe(1, "sock", "socket").probe(2, "tx", "tc egress")
                .probe(3, "rx", "tc ingress");
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long t = 1_000_000 + i * 10_000L, tag = GeneratedEvents.tagOf(i);
            events.add(Ev.packet(1, t, A, i, 0, 0, 100));
            events.add(Ev.packet(2, t + 1_000, A, i, tag, FLAG_TAG_INSERTED, 108));
            events.add(Ev.packet(3, t + 5_000, A, i, tag, 0, 108));
        }
        // Half the packets: the receiver's tagged sighting arrives between the socket's and the
        // tagging probe's (another ring), so two journeys begin apart and the link merges them.
        List<Ev> fed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<Ev> three = events.subList(3 * i, 3 * i + 3);
            if (i % 2 == 0) fed.addAll(three);
            else { fed.add(three.get(0)); fed.add(three.get(2)); fed.add(three.get(1)); }
        }
        Summary s = run(catalog, fed);
        assertEquals(100, s.counters().journeys());
        assertEquals(100, s.counters().links());
        assertEquals(50, s.counters().merges(), "odd packets: socket, rx, then tx links the two");
        Summary.Flow f = s.flows().getFirst();
        assertEquals(List.of("sock", "tx", "rx"), f.path());
        assertEquals(100, f.sent());
        assertEquals(100, f.received());
        assertEquals(0, f.lost());
        assertEquals(5_000, f.latencyNs().max());
    }

    @Test
    void twoInterleavedFlowsAndAnIpv6FlowAreKeptApart() {
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t = 1_000_000 + i * 1_000L;
            Flow flow = i % 3 == 0 ? A : i % 3 == 1 ? B : V6;
            long delay = i % 3 == 0 ? 5_000 : i % 3 == 1 ? 7_000 : 9_000;
            long tag = GeneratedEvents.tagOf(i);
            events.add(Ev.packet(1, t, flow, i, tag, FLAG_TAG_INSERTED, 100));
            if (flow == B && i % 2 == 0) continue; // B loses every other packet
            events.add(Ev.packet(2, t + delay, flow, i, tag, 0, 100));
        }
        events.sort(Comparator.comparingLong(Ev::ts));
        Summary s = run(twoProbes(), events);
        assertEquals(3, s.flows().size());
        Summary.Flow a = s.flows().get(0), b = s.flows().get(1), v6 = s.flows().get(2);
        assertEquals(5000, a.sport());
        assertEquals(100, a.received());
        assertEquals(5_000, a.latencyNs().mean(), 0.0);
        assertEquals(7000, b.sport());
        assertEquals(100, b.sent());
        assertEquals(50, b.lost());
        assertEquals(0.5, b.lossRate(), 0.0);
        assertEquals(7_000, b.latencyNs().min());
        assertEquals("fd00::1", v6.src());
        assertEquals("fd00::2", v6.dst());
        assertEquals(100, v6.received());
        assertEquals(9_000, v6.latencyNs().max());
        assertEquals("udp [fd00::1]:4000 > [fd00::2]:4001", s.segments().get(2).flow());
    }

    @Test
    void fingerprintOnlyJourneysJoinAcrossProbes() {
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(Ev.packet(1, 1_000 + i * 100L, V6, i, 0, 0, 100));
            events.add(Ev.packet(2, 1_050 + i * 100L, V6, i, 0, 0, 100));
        }
        Summary s = run(twoProbes(), events);
        assertEquals(50, s.flows().getFirst().received());
        assertEquals(50, s.counters().journeys());
    }

    @Test
    void thePathFollowsTimestampsUnlessTheCatalogGivesPositions() {
        // Probe ids in the opposite order of the path.
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = 1_000_000 + i * 1_000L;
            events.add(Ev.packet(3, t, A, i, 0, 0, 100));
            events.add(Ev.packet(2, t + 100, A, i, 0, 0, 100));
            events.add(Ev.packet(1, t + 300, A, i, 0, 0, 100));
        }
        ProbeCatalog learned = new ProbeCatalog().probe(1, "one", "").probe(2, "two", "").probe(3, "three", "");
        assertEquals(List.of("three", "two", "one"), run(learned, events).flows().getFirst().path());

        ProbeCatalog positioned = new ProbeCatalog().probe(1, "one", "", 0).probe(2, "two", "", 1).probe(3, "three", "", 2);
        Summary s = run(positioned, events);
        assertEquals(List.of("one", "two", "three"), s.flows().getFirst().path(),
                "positions say so, even against the clocks (e.g. skew between hosts)");
    }

    @Test
    void duplicatesSingletonsLateAndUnknownEventsAreCounted() {
        List<Ev> events = new ArrayList<>();
        events.add(Ev.packet(1, 10_000_000_000L, A, 1, 0, 0, 100));
        events.add(Ev.packet(1, 10_000_000_500L, A, 1, 0, 0, 100)); // same identity, same probe
        events.add(Ev.packet(2, 10_000_001_000L, A, 1, 0, 0, 100));
        events.add(Ev.packet(1, 10_000_002_000L, A, 2, 0, 0, 100)); // never received: a singleton, at the trace's end
        events.add(Ev.packet(7, 10_000_003_000L, A, 3, 0, 0, 100)); // probe 7 is not in the catalog
        events.add(Ev.packet(1, 1_000_000_000L, A, 4, 0, 0, 100)); // 9 s older than the newest: late
        Summary s = run(twoProbes(), events);
        JoinCounters c = s.counters();
        assertEquals(1, c.duplicates());
        assertEquals(1, c.singletons());
        assertEquals(1, c.unknownProbe());
        assertEquals(1, c.lateEvents());
        assertEquals(2, c.journeys());
        Summary.Flow f = s.flows().getFirst();
        assertEquals(2, f.sent());
        assertEquals(0, f.lost(), "seen last, within a journey's time of the end: it may still be travelling");
        assertEquals(1, f.inFlight());
        assertEquals(1_000, s.segments().getFirst().latencyNs().mean(), 0.0, "the earliest of two sightings is kept");
        assertEquals(List.of(), s.drops(), "a packet in flight is no drop");
    }

    @Test
    void journeysCloseOnTimeoutOfEventTimeNotOnlyAtFlush() {
        JourneyJoiner joiner = new JourneyJoiner(twoProbes(), JoinerConfig.defaults().withTimeoutNanos(1_000_000));
        GeneratedEvents gen = new GeneratedEvents();
        gen.feed(joiner, Ev.packet(1, 5_000_000, A, 1, 0, 0, 100));
        assertEquals(1, joiner.openJourneys());
        joiner.advanceTo(5_999_999);
        assertEquals(1, joiner.openJourneys());
        joiner.advanceTo(6_000_000);
        assertEquals(0, joiner.openJourneys());
        assertEquals(1, joiner.counters().singletons());
    }

    @Test
    void aFullPoolFinalizesTheOldestJourneyEarlyAndSaysSo() {
        JourneyJoiner joiner = new JourneyJoiner(twoProbes(), JoinerConfig.defaults().withCapacity(4, 8));
        GeneratedEvents gen = new GeneratedEvents();
        for (int i = 0; i < 10; i++) gen.feed(joiner, Ev.packet(1, 1_000 + i, A, i, 0, 0, 100));
        assertEquals(8, joiner.openJourneys());
        assertEquals(2, joiner.counters().evictedEarly());
    }
}
