package io.vnettracer.journey.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClockCorrectorTest {
    private final MemorySegment record = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private final EventView view = new EventView();

    private EventView event(int probeId, long ts) {
        new EventWriter().wrap(record, 0).kind(EventKind.PACKET).probeId(probeId).timestamp(ts).ipId(77)
                .ipv4(0x0a000001, 0x0a000002, 17, 1, 2);
        return view.wrap(record, 0);
    }

    @Test
    void onlyTheNodesEventsMoveAndEverythingElseOfThemStays() {
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "a_out", "").probe(1, "vm2/b_in", "");
        ClockCorrector c = new ClockCorrector(catalog, Map.of("vm2", new ClockOffset(3_700_000, 900)));

        EventView local = event(0, 10_000_000);
        assertSame(local, c.toReference(local), "nothing to correct: the event itself");

        EventView fromVm2 = event(1, 10_000_000);
        long fingerprint = fromVm2.fingerprint();
        EventView corrected = c.toReference(fromVm2);
        assertEquals(6_300_000, corrected.timestamp());
        assertEquals(fingerprint, corrected.fingerprint());
        assertEquals(1, corrected.probeId());
        assertEquals(EventKind.PACKET, corrected.kind());
        assertEquals(10_000_000, fromVm2.timestamp(), "the original is not written");

        assertSame(event(5, 1), c.toReference(view), "unknown probes pass through");
        catalog.probe(5, "vm2/b_out", ""); // a probe added to a live trace
        assertEquals(1 - 3_700_000, c.toReference(event(5, 1)).timestamp());
    }
}
