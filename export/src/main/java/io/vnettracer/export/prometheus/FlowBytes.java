package io.vnettracer.export.prometheus;

import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.FlowKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * IP bytes per flow and probe, added up from finalized journeys on the drain thread, because the
 * summary carries throughput but not byte totals. One sighting per journey and probe counts, as the
 * joiner counts packets. The first journey of a flow allocates its row; every other one only adds.
 */
final class FlowBytes {
    private final int probes;
    private final ConcurrentHashMap<FlowKey, AtomicLongArray> rows = new ConcurrentHashMap<>();

    /** @param probes the catalog's capacity: every catalog index fits */
    FlowBytes(int probes) {
        this.probes = probes;
    }

    void add(FinishedJourney journey) {
        FlowKey flow = journey.flow();
        if (flow == null) {
            return;
        }
        AtomicLongArray row = rows.get(flow);
        if (row == null) {
            row = rows.computeIfAbsent(flow, f -> new AtomicLongArray(probes));
        }
        for (int i = 0; i < journey.hops(); i++) {
            int probe = journey.hopProbe(i);
            if (probe < probes) {
                row.addAndGet(probe, journey.hopBytes(i));
            }
        }
    }

    /** Bytes the probe at catalog index {@code probe} saw of the flow; 0 when none. */
    long bytes(FlowKey flow, int probe) {
        AtomicLongArray row = rows.get(flow);
        return row == null || probe < 0 || probe >= probes ? 0 : row.get(probe);
    }
}
