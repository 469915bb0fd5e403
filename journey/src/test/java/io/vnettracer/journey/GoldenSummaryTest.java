package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.event.EventLayout;
import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The joiner's whole summary of a generated trace, figure for figure, as the joiner before the
 * analysis speed-up (docs/BENCHMARKS.md, section 4) gave it: slots laid out per journey, delays
 * counted in HdrDelayCounts, events read with wider loads must not move a count, a percentile or a
 * jitter. The golden text {@value #GOLDEN} was written by this test on that joiner (commit b9ead05,
 * {@code -Dgolden.write=DIR}); the losses are also checked against what the generator dropped.
 *
 * <p>The trace has what exercises every path of the joiner: five flows (IPv4, IPv6, TCP), delays
 * spread over six powers of two with outliers, packets lost after a random probe (half reported by
 * the drop probe), sightings reordered within the timeout, duplicate sightings, and tagged packets
 * whose untagged first sighting is linked (and, when the tag is seen first, merged).
 */
class GoldenSummaryTest {
    static final String GOLDEN = "golden-summary.txt";
    static final int SOCK = 1, TAGGER = 2, MID = 3, RX = 4, DROPS = 9;
    static final int[] PATH = {SOCK, TAGGER, MID, RX};
    static final long START = 1_000_000_000L, GAP = 20_000;
    static final int PACKETS = 60_000;

    record Truth(long[] sent, long[] lost) {}

    @Test
    void theSummaryOfAGeneratedTraceIsTheOneTheJoinerGaveBeforeAndItsLossesAreTheGenerators() throws IOException {
        Flow[] flows = {Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000), Flow.udp4(0x0a000003, 5001, 0x0a000002, 6000),
                Flow.tcp4(0x0a000001, 40000, 0x0a000002, 5201),
                Flow.udp6(0xfd00_0000_0000_0000L, 1, 4000, 0xfd00_0000_0000_0000L, 2, 4001),
                Flow.udp4(0x0a000004, 7000, 0x0a000005, 7001)};
        List<Ev> events = new ArrayList<>();
        Truth truth = generate(flows, events);
        ProbeCatalog catalog = new ProbeCatalog().socketProbe(SOCK, "sock", "sock:a:send").probe(TAGGER, "tagger", "dev:a/eth0:egress")
                .probe(MID, "mid", "dev:br/veth1:ingress").probe(RX, "rx", "dev:b/eth0:ingress").dropProbe(DROPS, "drops", "drops");
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults().withTimeoutNanos(5_000_000));
        new GeneratedEvents().feed(joiner, events);
        joiner.flush(joiner.newestEvent() + 1_000_000_000L); // long after the last packet: none in flight
        Summary summary = joiner.summary(id -> 0);

        for (int f = 0; f < flows.length; f++) {
            Summary.Flow row = row(summary, flows[f]);
            assertEquals(truth.sent[f], row.sent(), "sent, flow " + f);
            assertEquals(truth.lost[f], row.lost(), "lost, flow " + f);
            assertEquals(truth.sent[f] - truth.lost[f], row.received(), "received, flow " + f);
        }
        String text = render(summary);
        String dir = System.getProperty("golden.write");
        if (dir != null) Files.writeString(Path.of(dir, GOLDEN), text);
        try (InputStream golden = GoldenSummaryTest.class.getResourceAsStream(GOLDEN)) {
            assertEquals(new String(golden.readAllBytes(), StandardCharsets.UTF_8), text);
        }
    }

    /** Every figure of the summary, a line per record: a difference shows where it is. */
    static String render(Summary s) {
        StringBuilder out = new StringBuilder();
        out.append(s.counters()).append('\n');
        s.probes().forEach(p -> out.append(p).append('\n'));
        s.flows().forEach(f -> out.append(f).append('\n'));
        s.segments().forEach(g -> out.append(g).append('\n'));
        out.append(s.drops()).append('\n');
        out.append(s).append('\n'); // and whatever else a summary holds
        return out.toString();
    }

    static Summary.Flow row(Summary s, Flow flow) {
        return s.flows().stream().filter(r -> r.sport() == flow.srcPort() && r.dport() == flow.dstPort()
                && r.key().srcLow() == flow.srcLow() && r.key().srcHigh() == (flow.v6() ? flow.srcHigh() : flow.srcHigh() << 32))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + flow + " in " + s.flows()));
    }

    private static Truth generate(Flow[] flows, List<Ev> out) {
        SplittableRandom random = new SplittableRandom(2026);
        long[] sent = new long[flows.length], lost = new long[flows.length];
        List<long[]> order = new ArrayList<>(); // {arrival, index into out}: a ring drain's disorder
        for (int n = 0; n < PACKETS; n++) {
            int f = random.nextInt(flows.length);
            Flow flow = flows[f];
            boolean tagged = random.nextInt(4) == 0;
            long tag = tagged ? GeneratedEvents.tagOf(n) : 0;
            int lastHop = random.nextInt(25) == 0 ? random.nextInt(PATH.length - 1) : PATH.length - 1;
            long t = START + n * GAP + random.nextLong(GAP);
            int ipLength = 60 + random.nextInt(1400);
            for (int hop = 0; hop <= lastHop; hop++) {
                if (hop > 0) t += delay(random, hop);
                // The socket sighting is untagged; the tagging probe links it; the tag travels on.
                long eventTag = hop == 0 ? 0 : tag;
                int flags = tagged && hop == 1 ? EventLayout.FLAG_TAG_INSERTED : 0;
                add(out, order, Ev.packet(PATH[hop], t, flow, n, eventTag, flags, ipLength), t, random);
                if (random.nextInt(200) == 0) { // a second sighting at the same probe, later or earlier
                    long again = t + random.nextLong(-200, 2_000);
                    add(out, order, Ev.packet(PATH[hop], again, flow, n, eventTag, flags, ipLength), again, random);
                }
            }
            sent[f]++;
            if (lastHop < PATH.length - 1) {
                lost[f]++;
                if (random.nextBoolean()) add(out, order, Ev.drop(DROPS, t + 500, flow, n, lastHop == 0 ? 0 : tag, 3), t + 500, random);
            }
        }
        order.sort(Comparator.comparingLong((long[] e) -> e[0]).thenComparingLong(e -> e[1]));
        List<Ev> sorted = new ArrayList<>(out.size());
        for (long[] e : order) sorted.add(out.get((int) e[1]));
        out.clear();
        out.addAll(sorted);
        return new Truth(sent, lost);
    }

    /** Arrives up to 300 µs late: events leave per-CPU rings out of time order, well within the timeout. */
    private static void add(List<Ev> out, List<long[]> order, Ev e, long t, SplittableRandom random) {
        order.add(new long[] {t + (random.nextInt(3) == 0 ? random.nextLong(300_000) : 0), out.size()});
        out.add(e);
    }

    /** Per-hop delay, ns: mostly 2..40 µs, one in fifty up to 2 ms. */
    private static long delay(SplittableRandom random, int hop) {
        if (random.nextInt(50) == 0) return random.nextLong(1, 2_000_000);
        return hop * 2_000L + random.nextLong(1 << (10 + hop * 2));
    }
}
