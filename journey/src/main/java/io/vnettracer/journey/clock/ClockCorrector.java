package io.vnettracer.journey.clock;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Moves events onto the reference clock: an event of a probe on node n gets timestamp
 * {@code t − offset(n)}. Put it between the session (or a saved events file) and the joiner:
 * {@code joiner.onEvent(corrector.toReference(view))}.
 *
 * <p>Allocation-free: a corrected event is a copy in one scratch record, valid until the next call.
 * Events of nodes without an offset (and of unknown probes) pass through unchanged. The catalog may
 * grow; new probes' nodes are looked up once. Not thread-safe: one per drain thread.
 */
public final class ClockCorrector {
    private final ProbeCatalog catalog;
    private final Map<String, ClockOffset> offsets;
    private final long[] offsetByIndex;
    private int resolved;
    private final MemorySegment scratch = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final EventView view = new EventView();

    /** @param offsets each node's clock minus the reference's (nodes not in it are left as they are) */
    public ClockCorrector(ProbeCatalog catalog, Map<String, ClockOffset> offsets) {
        this.catalog = catalog;
        this.offsets = Map.copyOf(offsets);
        this.offsetByIndex = new long[catalog.capacity()];
    }

    /** The event on the reference clock: {@code event} itself when there is nothing to correct, else a corrected copy. */
    public EventView toReference(EventView event) {
        int index = catalog.indexOf(event.probeId());
        if (index < 0) return event;
        if (index >= resolved) resolveUpTo(catalog.size());
        long offset = offsetByIndex[index];
        if (offset == 0) return event;
        event.copyTo(scratch, 0);
        scratch.set(U64_LE, EventLayout.TIMESTAMP, event.timestamp() - offset);
        return view.wrap(scratch, 0);
    }

    private void resolveUpTo(int size) {
        for (int i = resolved; i < size; i++) {
            ClockOffset o = offsets.get(catalog.get(i).node());
            offsetByIndex[i] = o == null ? 0 : o.offsetNanos();
        }
        resolved = size;
    }
}
