package io.vnettracer.journey;

import static io.vnettracer.event.EventLayout.FLAG_TAG_INSERTED;
import static io.vnettracer.event.EventLayout.FLAG_TAG_STRIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * N packets over sender socket -> vm0 egress (tags) -> bridge port -> vm1 ingress (strips), 10/200/30 us
 * apart, some dropped between the second and third probes, with and without a DROP event.
 */
class FourProbePathTest {
    static final int N = 1000;
    static final long T0 = 1_000_000_000L;
    static final long GAP = 100_000;
    static final long[] HOP_DELAY = {10_000, 200_000, 30_000};
    static final int REASON_NETFILTER = 6;
    static final Flow FLOW = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);

    static ProbeCatalog catalog() {
        return new ProbeCatalog(128)
                .probe(11, "sender:udp_sendmsg", "socket udp")
                .probe(12, "vm0/eth0:egress", "tc egress dev eth0 netns vm0")
                .probe(13, "br0/port1:ingress", "tc ingress dev port1")
                .probe(14, "vm1/eth0:ingress", "tc ingress dev eth0 netns vm1")
                .dropProbe(90, "kfree_skb", "tp_btf kfree_skb");
    }

    static JoinerConfig config() {
        return JoinerConfig.defaults().withDropReasonNames(code -> code == REASON_NETFILTER ? "NETFILTER_DROP" : null);
    }

    static boolean droppedWithReason(int i) { return i % 10 == 3; }
    static boolean droppedSilently(int i) { return i % 50 == 7; }
    static int length(int i) { return 100 + i % 7; }

    /** Every probe's events, each list in that probe's time order (as one ring would deliver them). */
    static List<List<Ev>> eventsByProbe() {
        List<List<Ev>> rings = new ArrayList<>();
        for (int p = 0; p < 5; p++) rings.add(new ArrayList<>());
        for (int i = 0; i < N; i++) {
            long t = T0 + i * GAP;
            long tag = GeneratedEvents.tagOf(i);
            rings.get(0).add(Ev.packet(11, t, FLOW, i, 0, 0, length(i)));
            t += HOP_DELAY[0];
            rings.get(1).add(Ev.packet(12, t, FLOW, i, tag, FLAG_TAG_INSERTED, length(i) + 8));
            if (droppedWithReason(i)) {
                rings.get(4).add(Ev.drop(90, t + 50_000, FLOW, i, tag, REASON_NETFILTER));
                continue;
            }
            if (droppedSilently(i)) continue;
            t += HOP_DELAY[1];
            rings.get(2).add(Ev.packet(13, t, FLOW, i, tag, 0, length(i) + 8));
            t += HOP_DELAY[2];
            rings.get(3).add(Ev.packet(14, t, FLOW, i, tag, FLAG_TAG_STRIPPED, length(i) + 8));
        }
        return rings;
    }

    static Summary run(List<Ev> events) {
        JourneyJoiner joiner = new JourneyJoiner(catalog(), config());
        new GeneratedEvents().feed(joiner, events);
        joiner.flush();
        return joiner.summary(id -> id == 13 ? 2 : 0);
    }

    static List<Ev> inTimeOrder() {
        List<Ev> all = new ArrayList<>();
        eventsByProbe().forEach(all::addAll);
        all.sort(Comparator.comparingLong(Ev::ts));
        return all;
    }

    @Test
    void countsLossesAndAttributesThemToTheSegmentWhereTheyHappened() {
        Summary s = run(inTimeOrder());
        long droppedWithReason = 0, droppedSilently = 0, receivedBytes = 0;
        for (int i = 0; i < N; i++) {
            if (droppedWithReason(i)) droppedWithReason++;
            else if (droppedSilently(i)) droppedSilently++;
            else receivedBytes += length(i) + 8;
        }
        long lost = droppedWithReason + droppedSilently;
        assertEquals(1, s.flows().size());
        Summary.Flow f = s.flows().getFirst();
        assertEquals(List.of("sender:udp_sendmsg", "vm0/eth0:egress", "br0/port1:ingress", "vm1/eth0:ingress"), f.path());
        assertEquals("udp", f.proto());
        assertEquals("10.0.0.1", f.src());
        assertEquals(5000, f.sport());
        assertEquals("10.0.0.2", f.dst());
        assertEquals(6000, f.dport());
        assertEquals(N, f.sent());
        assertEquals(N - lost, f.received());
        assertEquals(lost, f.lost());
        assertEquals((double) lost / N, f.lossRate(), 1e-12);

        List<Summary.Segment> segs = s.segments();
        assertEquals(3, segs.size());
        assertEquals("udp 10.0.0.1:5000 > 10.0.0.2:6000", segs.get(0).flow());
        assertEquals(N, segs.get(0).packets());
        assertEquals(0, segs.get(0).lost());
        assertEquals(N - lost, segs.get(1).packets());
        assertEquals(lost, segs.get(1).lost());
        assertEquals(0, segs.get(2).lost());
        assertEquals("vm0/eth0:egress", segs.get(1).from());
        assertEquals("br0/port1:ingress", segs.get(1).to());

        assertEquals(2, s.drops().size());
        Summary.Drop withReason = s.drops().get(0), silent = s.drops().get(1);
        assertEquals(new Summary.Drop("vm0/eth0:egress > br0/port1:ingress", "NETFILTER_DROP", droppedWithReason), withReason);
        assertEquals(new Summary.Drop("vm0/eth0:egress > br0/port1:ingress", Summary.Drop.NO_DROP_EVENT, droppedSilently), silent);

        // Throughput at the last probe: its bytes over its first-to-last sighting interval.
        long firstReceive = Long.MAX_VALUE, lastReceive = 0;
        for (int i = 0; i < N; i++) {
            if (droppedWithReason(i) || droppedSilently(i)) continue;
            long t = T0 + i * GAP + HOP_DELAY[0] + HOP_DELAY[1] + HOP_DELAY[2];
            firstReceive = Math.min(firstReceive, t);
            lastReceive = Math.max(lastReceive, t);
        }
        assertEquals(receivedBytes * 8 * 1e9 / (lastReceive - firstReceive), f.throughputBps(), 1e-6);

        assertEquals(2, s.eventsLost());
        assertEquals(2, s.probes().get(2).lost());
        assertEquals(N, s.probes().get(0).events());
        assertEquals(droppedWithReason, s.probes().get(4).events());
        assertEquals(N, s.counters().journeys());
        assertEquals(N, s.counters().links(), "each tagged journey linked once: the insert and the strip show the same fingerprint");
    }

    @Test
    void segmentMeansAreTheGeneratedDelaysAndSharesAddUpToOne() {
        Summary s = run(inTimeOrder());
        long endToEnd = HOP_DELAY[0] + HOP_DELAY[1] + HOP_DELAY[2];
        double shares = 0;
        for (int i = 0; i < 3; i++) {
            Summary.Segment seg = s.segments().get(i);
            assertEquals(HOP_DELAY[i], seg.latencyNs().mean(), 0.0);
            assertEquals(HOP_DELAY[i], seg.latencyNs().p50(), HOP_DELAY[i] / 100.0, "percentiles to 2 significant digits");
            assertEquals((double) HOP_DELAY[i] / endToEnd, seg.share(), 1e-15);
            shares += seg.share();
        }
        assertEquals(1.0, shares, 1e-12);
        Summary.Latency l = s.flows().getFirst().latencyNs();
        assertEquals(endToEnd, l.min());
        assertEquals(endToEnd, l.max());
        assertEquals(endToEnd, l.mean(), 0.0);
        assertEquals(endToEnd, l.p99(), endToEnd / 100.0);
        assertEquals(0.0, s.flows().getFirst().jitterNs(), "constant delays: no jitter");
    }

    @Test
    void sharesOfAVaryingPathStillAddUpToOne() {
        Random random = new Random(7);
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long t = T0 + i * GAP;
            long tag = GeneratedEvents.tagOf(i);
            events.add(Ev.packet(11, t, FLOW, i, 0, 0, 100));
            t += 1 + random.nextInt(50_000);
            events.add(Ev.packet(12, t, FLOW, i, tag, FLAG_TAG_INSERTED, 108));
            t += 1 + random.nextInt(500_000);
            events.add(Ev.packet(13, t, FLOW, i, tag, 0, 108));
            t += 1 + random.nextInt(70_000);
            events.add(Ev.packet(14, t, FLOW, i, tag, 0, 108));
        }
        events.sort(Comparator.comparingLong(Ev::ts));
        Summary s = run(events);
        double shares = s.segments().stream().mapToDouble(Summary.Segment::share).sum();
        assertEquals(1.0, shares, 1e-12);
        double means = s.segments().stream().mapToDouble(seg -> seg.latencyNs().mean()).sum();
        assertEquals(s.flows().getFirst().latencyNs().mean(), means, 1e-6, "every journey is complete: segment means add up");
    }

    @Test
    void eventsOutOfOrderAcrossProbesJoinTheSameWay() {
        Summary inOrder = run(inTimeOrder());
        // Rings drained one after another in bursts of 64 events: disorder of up to ~30 ms of event time.
        List<List<Ev>> rings = eventsByProbe();
        List<Ev> bursts = new ArrayList<>();
        int[] next = new int[rings.size()];
        boolean more = true;
        for (int round = 0; more; round++) {
            more = false;
            for (int r = rings.size() - 1; r >= 0; r--) {
                List<Ev> ring = rings.get(r);
                int end = Math.min(ring.size(), next[r] + 64 * (1 + (r + round) % 3));
                bursts.addAll(ring.subList(next[r], end));
                next[r] = end;
                more |= end < ring.size();
            }
        }
        Summary shuffled = run(bursts);
        assertEquals(inOrder.flows(), shuffled.flows());
        assertEquals(inOrder.segments(), shuffled.segments());
        assertEquals(inOrder.drops(), shuffled.drops());
        assertEquals(0, shuffled.counters().lateEvents());
        assertEquals(N, shuffled.counters().journeys());
    }
}
