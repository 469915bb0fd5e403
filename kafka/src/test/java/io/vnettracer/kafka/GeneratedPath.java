package io.vnettracer.kafka;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Generated events of a tag-mode path, written as probes write them: an untagged socket sighting,
 * the tag-inserting egress, a tagged bridge port, the tag-stripping ingress, an untagged socket
 * receive; random delays, packets dropped with and without a DROP event; two interleaved flows.
 * All events sit in one segment, in time order.
 */
final class GeneratedPath {
    static final int REASON = 6;
    final MemorySegment events;
    final int count;

    static ProbeCatalog catalog() {
        return new ProbeCatalog(64)
                .probe(0, "app_tx", "sock:a:send")
                .probe(1, "a_out", "dev:a/a1:egress")
                .probe(2, "br_in", "dev:br/a0:ingress")
                .probe(3, "b_in", "dev:b/b1:ingress")
                .probe(4, "app_rx", "sock:b:recv")
                .dropProbe(5, "drops", "drops:b");
    }

    static JoinerConfig config() {
        return JoinerConfig.defaults().withDropReasonNames(code -> code == REASON ? "NETFILTER_DROP" : null);
    }

    private record Ev(int probe, long ts, int flow, int packet, long tag, int flags, EventKind kind) {}

    GeneratedPath(int packets, long seed) {
        Random random = new Random(seed);
        List<Ev> all = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            int flow = i % 2;
            long tag = (i * 0x9E3779B1L & 0xFFFF_FFFFL) | 1;
            long t = 1_000_000_000L + i * 50_000L;
            all.add(new Ev(0, t, flow, i, 0, 0, EventKind.PACKET));
            t += 5_000 + random.nextInt(20_000);
            all.add(new Ev(1, t, flow, i, tag, EventLayout.FLAG_TAG_INSERTED, EventKind.PACKET));
            if (i % 17 == 3) {
                all.add(new Ev(5, t + 1_000, flow, i, tag, 0, EventKind.DROP));
                continue;
            }
            if (i % 41 == 5) continue;
            t += 10_000 + random.nextInt(200_000);
            all.add(new Ev(2, t, flow, i, tag, 0, EventKind.PACKET));
            t += 5_000 + random.nextInt(50_000);
            all.add(new Ev(3, t, flow, i, tag, EventLayout.FLAG_TAG_STRIPPED, EventKind.PACKET));
            t += 2_000 + random.nextInt(30_000);
            all.add(new Ev(4, t, flow, i, 0, 0, EventKind.PACKET));
        }
        all.sort(Comparator.comparingLong(Ev::ts));
        count = all.size();
        events = Arena.ofAuto().allocate((long) count * EventLayout.SIZE, 8);
        EventWriter w = new EventWriter();
        for (int k = 0; k < count; k++) {
            Ev e = all.get(k);
            w.wrap(events, (long) k * EventLayout.SIZE).kind(e.kind()).probeId(e.probe()).timestamp(e.ts()).tag(e.tag())
                    .flags(e.flags()).extra(e.kind() == EventKind.DROP ? REASON : 0).ipLength(100 + e.packet() % 300)
                    .skbLength(114 + e.packet() % 300).ipId(e.packet() & 0xffff).l4Data(0x5EED_0000_0000_0000L | e.packet())
                    .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000 + e.flow(), 6000);
        }
    }

    long offset(int k) {
        return (long) k * EventLayout.SIZE;
    }
}
