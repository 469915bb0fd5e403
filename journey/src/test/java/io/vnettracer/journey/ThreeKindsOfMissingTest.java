package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventLayout;
import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * lost, unaccounted and in_flight kept apart (docs/JOURNEYS.md, "Three kinds of missing"), on a
 * sending socket, two devices and a receiving socket: packets every {@link #GAP} ns, each probe
 * {@link #HOP} ns after the one before.
 */
class ThreeKindsOfMissingTest {
    static final int TX = 1, A = 2, B = 3, RX = 4, DROPS = 9;
    static final long START = 1_000_000_000L, GAP = 100_000, HOP = 10_000;
    static final int DROP_REASON = 5;
    static final Flow UDP = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);
    static final Flow TCP = Flow.tcp4(0x0a000001, 40000, 0x0a000002, 5201);

    static ProbeCatalog catalog() {
        return new ProbeCatalog().socketProbe(TX, "tx", "sock:a:send").probe(A, "a", "dev:a/eth0:egress")
                .probe(B, "b", "dev:b/eth0:ingress").socketProbe(RX, "rx", "sock:b:recv").dropProbe(DROPS, "drops", "drops");
    }

    static long at(int packet, int probe) {
        return START + packet * GAP + (probe - TX) * HOP;
    }

    /** Packet {@code n} of {@code flow} at every probe for which {@code seenAt} holds. */
    static void packet(List<Ev> out, Flow flow, int n, IntPredicate seenAt) {
        for (int probe = TX; probe <= RX; probe++) {
            if (seenAt.test(probe)) out.add(Ev.packet(probe, at(n, probe), flow, n, 0, 0, 100));
        }
    }

    static final IntPredicate EVERYWHERE = p -> true;

    static Summary.Segment segment(Summary s, String from) {
        return s.segments().stream().filter(g -> g.from().equals(from)).findFirst().orElseThrow();
    }

    @Test
    void aSightingMissingWhereTheRingLostRecordsIsUnaccountedNotLost() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        List<Ev> events = new ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            if (n >= 300 && n < 400) packet(events, UDP, n, p -> p != RX);       // rx's ring was full
            else if (n >= 700 && n < 710) packet(events, UDP, n, p -> p != RX);  // vanished after b, no drop seen
            else if (n >= 500 && n < 550) packet(events, UDP, n, p -> p != B);   // b's ring was full; rx saw them
            else packet(events, UDP, n, EVERYWHERE);
        }
        new GeneratedEvents().feed(joiner, events);
        // As the session reports them: the drain passes that found the loss counters grown.
        joiner.shortfalls().ringLoss(RX, at(300, TX), at(400, TX));
        joiner.shortfalls().ringLoss(B, at(500, TX), at(550, TX));
        joiner.flush(at(999, RX) + GAP);
        Summary s = joiner.summary(id -> id == RX ? 100 : id == B ? 50 : 0);

        Summary.Flow f = s.flows().getFirst();
        assertEquals(1000, f.sent());
        assertEquals(10, f.lost());
        assertEquals(100, f.unaccounted());
        assertEquals(0, f.inFlight());
        assertEquals(10 / 1000.0, f.lossRate(), 1e-12, "the loss rate is the network's loss only");
        assertEquals(10, segment(s, "b").lost());
        assertEquals(100, segment(s, "b").unaccounted());
        assertEquals(0, segment(s, "a").lost(), "rx saw them after b: they passed b unseen");
        assertEquals(50, segment(s, "a").unaccounted());
        assertEquals(List.of(new Summary.Drop("b > rx", Summary.Drop.NO_DROP_EVENT, 10)), s.drops(),
                "the ring's losses are no drops");
        assertEquals(List.of("ring buffer: 150 records lost at probes b, rx"), s.degraded());
    }

    @Test
    void journeysFinalizedBeforeAnyReachedTheSocketAreUnaccountedWhereItLostRecords() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        GeneratedEvents gen = new GeneratedEvents();
        List<Ev> events = new ArrayList<>();
        for (int n = 0; n < 20; n++) packet(events, UDP, n, p -> p != RX); // rx's ring was full
        gen.feed(joiner, events);
        joiner.shortfalls().ringLoss(RX, at(0, TX), at(20, TX));
        // Their timeout passes before any journey of the flow has reached rx: the flow's path,
        // learnt from finalized journeys, does not have rx yet.
        joiner.advanceTo(at(20, TX) + 3_000_000_000L);
        events.clear();
        for (int n = 40_000; n < 40_100; n++) packet(events, UDP, n, EVERYWHERE);
        gen.feed(joiner, events);
        joiner.flush(at(40_099, RX) + GAP);
        Summary s = joiner.summary(id -> id == RX ? 20 : 0);

        assertEquals(0, segment(s, "b").lost(), "rx lost records while they travelled: " + s.segments());
        assertEquals(20, segment(s, "b").unaccounted());
        assertEquals(0, s.flows().getFirst().lost());
        assertEquals(20, s.flows().getFirst().unaccounted());
    }

    @Test
    void aDropSeenStaysLostWithItsReasonEvenWhereARingLostRecords() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        List<Ev> events = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            if (n >= 20 && n < 25) {
                packet(events, UDP, n, p -> p <= A);
                events.add(Ev.drop(DROPS, at(n, A) + HOP / 2, UDP, n, 0, DROP_REASON));
            } else if (n >= 25 && n < 30) {
                packet(events, UDP, n, p -> p <= A); // b's ring lost these, but rx lost nothing
            } else {
                packet(events, UDP, n, EVERYWHERE);
            }
        }
        new GeneratedEvents().feed(joiner, events);
        joiner.shortfalls().ringLoss(B, at(20, TX), at(30, TX));
        joiner.flush(at(99, RX) + GAP);
        Summary s = joiner.summary(id -> 0);

        Summary.Flow f = s.flows().getFirst();
        assertEquals(10, f.lost(), "rx, which missed nothing, never saw them: they vanished");
        assertEquals(0, f.unaccounted());
        assertEquals(5, segment(s, "a").lost(), "the dropped ones");
        assertEquals(5, segment(s, "a").unaccounted(), "b cannot say whether the others passed it");
        assertEquals(List.of(new Summary.Drop("a > b", "drop reason " + DROP_REASON, 5),
                new Summary.Drop("a > b", Summary.Drop.NO_DROP_EVENT, 5)), s.drops());
    }

    @Test
    void packetsSampledOutAreUnaccountedAndNeverLost() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        GeneratedEvents gen = new GeneratedEvents();
        int sampleEvery = 2;
        List<Ev> events = new ArrayList<>();
        for (int n = 0; n < 200; n++) packet(events, UDP, n, EVERYWHERE);
        gen.feed(joiner, events);
        events.clear();
        // ctl sample b 2, live: from here on b records one packet in two.
        joiner.shortfalls().sampling(B, sampleEvery, at(200, TX));
        for (int n = 200; n < 600; n++) {
            int m = n;
            packet(events, UDP, n, p -> p != B || m % sampleEvery == 0);
        }
        gen.feed(joiner, events);
        events.clear();
        joiner.shortfalls().sampling(B, 1, at(600, TX));
        for (int n = 600; n < 800; n++) packet(events, UDP, n, EVERYWHERE);
        gen.feed(joiner, events);
        joiner.flush(at(799, RX) + GAP);
        Summary s = joiner.summary(id -> 0);

        Summary.Flow f = s.flows().getFirst();
        assertEquals(800, f.received());
        assertEquals(0, f.lost());
        assertEquals(0, segment(s, "a").lost());
        assertEquals(200, segment(s, "a").unaccounted());
        assertEquals(sampleEvery, s.probes().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow().sampleEvery());
        assertEquals(List.of("sampling: probe b 1 in " + sampleEvery), s.degraded());
        assertEquals(List.of(), s.drops());
    }

    @Test
    void packetsStillTravellingWhenTheTraceEndsAreInFlightNotDrops() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        List<Ev> events = new ArrayList<>();
        int packets = 100, travelling = 3;
        for (int n = 0; n < packets; n++) {
            if (n == 50) packet(events, UDP, n, p -> p <= A);                          // lost mid-trace
            else if (n >= packets - travelling) packet(events, UDP, n, p -> p <= A);   // sent as the probes stopped
            else packet(events, UDP, n, EVERYWHERE);
        }
        new GeneratedEvents().feed(joiner, events);
        // The probes stopped as the last packets were sent (tx and a, detached last, still saw some):
        // they had no time to arrive.
        joiner.flush(at(packets - travelling, A));
        Summary s = joiner.summary(id -> 0);

        Summary.Flow f = s.flows().getFirst();
        assertEquals(travelling, f.inFlight());
        assertEquals(1, f.lost(), "a packet missing long before the end was lost");
        assertEquals(travelling, segment(s, "a").inFlight());
        assertEquals(1, segment(s, "a").lost());
        assertEquals(List.of(new Summary.Drop("a > b", Summary.Drop.NO_DROP_EVENT, 1)), s.drops(),
                "only the packet lost mid-trace is a drop");
        assertEquals(List.of(), s.degraded());
    }

    @Test
    void tcpSegmentsWithoutPayloadEndBeforeTheReceivingSocket() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        List<Ev> events = new ArrayList<>();
        int segments = 100, emptyEvery = 10;
        int empty = 0;
        for (int n = 0; n < segments; n++) {
            boolean noPayload = n % emptyEvery == 0;
            if (noPayload) empty++;
            for (int probe = TX; probe <= RX; probe++) {
                if (noPayload && probe == RX) continue; // a pure ACK is never read by the application
                if (n == 55 && probe >= B) continue;     // a data segment lost between a and b
                if (n == 70 && probe >= B) continue;     // an ACK lost between a and b: it was expected at b
                events.add(Ev.segment(probe, at(n, probe), TCP, n, 0, noPayload ? 0 : 1000));
            }
        }
        new GeneratedEvents().feed(joiner, events);
        joiner.flush(at(segments - 1, RX) + GAP);
        Summary s = joiner.summary(id -> 0);

        Summary.Flow f = s.flows().getFirst();
        assertEquals(segments, f.sent());
        assertEquals(2, f.lost());
        assertEquals(segments - 2, f.received(), "segments without payload are received where they end, at b");
        assertEquals(0, f.unaccounted());
        assertEquals(0, segment(s, "b").lost(), "no ACK is expected at the receiving socket");
        assertEquals(segments - empty - 1, segment(s, "b").packets());
        assertEquals(2, segment(s, "a").lost());
        assertEquals(List.of(new Summary.Drop("a > b", Summary.Drop.NO_DROP_EVENT, 2)), s.drops());
    }

    @Test
    void aSegmentWithoutPayloadDroppedBeforeItsSocketIsLostUnlessTheKernelGaveNoReason() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        List<Ev> events = new ArrayList<>();
        int aReason = MissingSightings.SKB_DROP_REASON_NOT_SPECIFIED + 1; // any reason but "not specified"
        for (int n = 0; n < 30; n++) {
            boolean noPayload = n % 10 == 0;
            for (int probe = TX; probe <= RX; probe++) {
                if (noPayload && probe == RX) continue;
                events.add(Ev.segment(probe, at(n, probe), TCP, n, 0, noPayload ? 0 : 1000));
            }
        }
        // Two ACKs freed after b: one by netfilter (it never reached TCP), one with no reason (TCP
        // freed it having processed it, as a TIME_WAIT socket does with a FIN).
        events.add(Ev.drop(DROPS, at(10, B) + HOP / 2, TCP, 10, 0, aReason));
        events.add(Ev.drop(DROPS, at(20, B) + HOP / 2, TCP, 20, 0, MissingSightings.SKB_DROP_REASON_NOT_SPECIFIED));
        new GeneratedEvents().feed(joiner, events);
        joiner.flush(at(29, RX) + GAP);
        Summary s = joiner.summary(id -> 0);

        Summary.Flow f = s.flows().getFirst();
        assertEquals(1, f.lost(), "the one dropped with a reason");
        assertEquals(1, segment(s, "b").lost());
        assertEquals(29, f.received());
    }

    @Test
    void journeysOfRetransmittedSegmentsAreCountedPerFlow() {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), JoinerConfig.defaults());
        List<Ev> events = new ArrayList<>();
        int segments = 50, retransmitted = 0;
        for (int n = 0; n < segments; n++) {
            // The session marks the sending socket's event of a segment whose range was already sent.
            int flags = n % 7 == 3 ? EventLayout.FLAG_RETRANSMIT : 0;
            if (flags != 0) retransmitted++;
            for (int probe = TX; probe <= RX; probe++) {
                events.add(Ev.segment(probe, at(n, probe), TCP, n, probe == TX ? flags : 0, 1000));
            }
        }
        new GeneratedEvents().feed(joiner, events);
        joiner.flush();
        Summary s = joiner.summary(id -> 0);

        assertTrue(retransmitted > 0);
        assertEquals(retransmitted, s.flows().getFirst().retransmits());
        assertEquals(0, s.flows().getFirst().lost());
    }
}
