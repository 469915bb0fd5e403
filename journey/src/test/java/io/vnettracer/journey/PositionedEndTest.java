package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionedEndTest {
    static final Flow A = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);

    /** Two nodes whose clocks disagree by more than the last hop: the receiver's sighting stamps earlier than the switch's. */
    @Test
    void aJourneySeenAtTheLastPlacedProbeIsDeliveredWhateverItsTimestampsSay() {
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "vm1/out", "dev", 0).probe(1, "host/out", "dev", 1)
                .probe(2, "vm2/in", "dev", 2);
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long t = 1_000_000 + i * 10_000L;
            events.add(Ev.packet(0, t, A, i, 0, 0, 100));
            events.add(Ev.packet(1, t + 5_000, A, i, 0, 0, 100));
            if (i % 10 != 0) events.add(Ev.packet(2, t + 4_000, A, i, 0, 0, 100)); // 1 µs "before" host/out
        }
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        new GeneratedEvents().feed(joiner, events);
        joiner.flush();
        Summary summary = joiner.summary(id -> 0);

        Summary.Flow flow = summary.flows().getFirst();
        assertEquals(100, flow.sent());
        assertEquals(90, flow.received());
        assertEquals(10, flow.lost());
        assertEquals(1, summary.drops().size(), summary.drops().toString());
        assertEquals("host/out > vm2/in", summary.drops().getFirst().probeOrPoint());
        assertEquals(10, summary.drops().getFirst().count());
        assertTrue(summary.drops().stream().noneMatch(d -> d.probeOrPoint().startsWith("vm2/in")), summary.drops().toString());
    }
}
