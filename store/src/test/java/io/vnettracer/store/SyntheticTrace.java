package io.vnettracer.store;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.MemorySegment;

/**
 * Generated events of one UDP flow 10.0.0.1:5000 > 10.0.0.2:6000 past two probes, tx and rx, each
 * datagram seen at tx and, 1000 + i ns later, at rx, with a real joiner: what a trace does, without a
 * kernel.
 */
final class SyntheticTrace {
    final ProbeCatalog catalog = new ProbeCatalog().probe(0, "tx", "dev:a:egress", 0).probe(1, "rx", "dev:b:ingress", 1);
    final JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
    private final MemorySegment record = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
    private final EventWriter writer = new EventWriter().wrap(record, 0);
    final EventView view = new EventView().wrap(record, 0);

    /** Positions {@link #view} over datagram {@code i}'s sighting at {@code probe}. */
    EventView sighting(int i, int probe) {
        writer.kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT).probeId(probe)
                .timestamp(1_000_000L * i + (probe == 0 ? 0 : 1000 + i))
                .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000, 6000)
                .ipId(i & 0xffff).ipLength(100).l4Data(i);
        return view;
    }
}
