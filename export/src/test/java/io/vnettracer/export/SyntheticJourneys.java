package io.vnettracer.export;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Journeys without a kernel: events written as probes write them (untagged, fingerprint identity)
 * and fed to a real joiner, for tests of what sinks do on the drain thread. Each packet is seen by
 * probes 0, 1 and 2, 1 µs apart; every 10th is dropped after probe 1 (drop probe 3).
 */
final class SyntheticJourneys {
    static final ProbeCatalog CATALOG = new ProbeCatalog().probe(0, "tx", "").probe(1, "mid", "").probe(2, "rx", "")
            .dropProbe(3, "drops", "");
    static final long GAP = 10_000;

    final MemorySegment batch;
    private final EventWriter writer = new EventWriter();
    private final EventView view = new EventView();
    private final int capacity;

    SyntheticJourneys(int packetsPerBatch) {
        capacity = packetsPerBatch * 3;
        batch = Arena.ofAuto().allocate((long) capacity * EventLayout.SIZE, 8);
    }

    static JourneyJoiner joiner() {
        return new JourneyJoiner(CATALOG, JoinerConfig.defaults().withTimeoutNanos(100_000));
    }

    /** Writes packets {@code first..first+count-1}; returns the number of events written. */
    int write(int first, int count) {
        int index = 0;
        for (int p = first; p < first + count; p++) {
            long t = 1_000_000_000L + p * GAP;
            index = event(index, p, EventKind.PACKET, 0, t, 0);
            index = event(index, p, EventKind.PACKET, 1, t + 1_000, 0);
            index = p % 10 == 0 ? event(index, p, EventKind.DROP, 3, t + 1_500, 2) : event(index, p, EventKind.PACKET, 2, t + 2_000, 0);
        }
        return index;
    }

    void feed(JourneyJoiner joiner, int events) {
        for (int e = 0; e < events; e++) {
            joiner.onEvent(view.wrap(batch, (long) e * EventLayout.SIZE));
        }
    }

    private int event(int index, int packet, EventKind kind, int probe, long ts, long extra) {
        writer.wrap(batch, (long) index * EventLayout.SIZE).kind(kind).probeId(probe).timestamp(ts).tag(0).flags(0)
                .extra(extra).ipLength(100 + packet % 50).ipId(packet & 0xffff).l4Data(packet)
                .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000, 6000);
        return index + 1;
    }
}
