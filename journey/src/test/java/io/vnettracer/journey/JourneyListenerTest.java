package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.journey.GeneratedEvents.Ev;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyListenerTest {
    static final Flow A = Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000);

    @Test
    void everyFinalizedJourneyReachesTheListenerWithItsSightingsInTimeOrder() {
        ProbeCatalog catalog = new ProbeCatalog().probe(1, "tx", "tc egress").probe(2, "rx", "tc ingress")
                .dropProbe(3, "drops", "drops");
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = 1_000_000 + i * 10_000L;
            events.add(Ev.packet(1, t, A, i, 0, 0, 100 + i));
            if (i % 5 == 4) events.add(Ev.drop(3, t + 2_000, A, i, 0, 6));
            else events.add(Ev.packet(2, t + 3_000 + i, A, i, 0, 0, 100 + i));
        }
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        List<String> seen = new ArrayList<>();
        joiner.setListener(j -> {
            StringBuilder s = new StringBuilder(j.sequence() + " " + j.flow());
            for (int h = 0; h < j.hops(); h++) {
                s.append(' ').append(catalog.get(j.hopProbe(h)).name()).append('@').append(j.hopTimestamp(h))
                        .append('/').append(j.hopBytes(h));
            }
            if (j.dropProbe() >= 0) s.append(" dropped:").append(j.dropReason());
            seen.add(s.toString());
        });
        new GeneratedEvents().feed(joiner, events);
        joiner.flush();

        assertEquals(10, seen.size());
        assertEquals("1 udp 10.0.0.1:5000 > 10.0.0.2:6000 tx@1000000/100 rx@1003000/100", seen.get(0));
        assertEquals("5 udp 10.0.0.1:5000 > 10.0.0.2:6000 tx@1040000/104 dropped:6", seen.get(4));
        assertEquals("10 udp 10.0.0.1:5000 > 10.0.0.2:6000 tx@1090000/109 dropped:6", seen.get(9));
    }
}
