package io.vnettracer.remote.collect;

import io.vnettracer.journey.clock.ClockAlignment;
import io.vnettracer.journey.clock.ClockOffset;
import io.vnettracer.journey.clock.ClockSolver;
import io.vnettracer.journey.clock.Crossings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Narrows the round-trip clock offsets with the traffic that crossed between nodes (journey's
 * {@link ClockSolver}: minimum one-way delays both ways). The round-trip offsets are against the
 * collector's clock; the solver measures against a node's, so the first node of the script is the
 * reference and every round-trip offset is restated against it (uncertainties add). The refined
 * offsets put every node on the reference node's clock.
 */
final class TrafficClocks {
    private TrafficClocks() {}

    static ClockAlignment refine(List<String> nodes, ClockOffsets roundTrip, Crossings crossings) {
        String reference = nodes.getFirst();
        ClockOffset ref = roundTrip.of(reference);
        Map<String, ClockOffset> applied = new LinkedHashMap<>();
        Map<String, ClockOffset> againstReference = new LinkedHashMap<>();
        for (String node : nodes) {
            ClockOffset c = roundTrip.of(node);
            applied.put(node, c);
            if (!node.equals(reference)) {
                againstReference.put(node, new ClockOffset(c.offsetNanos() - ref.offsetNanos(),
                        c.uncertaintyNanos() + ref.uncertaintyNanos()));
            }
        }
        return ClockSolver.solve(crossings, reference, applied, againstReference);
    }

    /** The alignment's offsets as the replay applies them; a node it could not place keeps its round-trip offset. */
    static ClockOffsets asOffsets(ClockAlignment alignment, ClockOffsets roundTrip) {
        Map<String, ClockOffset> known = alignment.offsets();
        ClockOffset ref = roundTrip.of(alignment.reference());
        return node -> {
            ClockOffset o = known.get(node);
            if (o != null) {
                return o;
            }
            ClockOffset rt = roundTrip.of(node);
            return new ClockOffset(rt.offsetNanos() - ref.offsetNanos(), rt.uncertaintyNanos() + ref.uncertaintyNanos());
        };
    }
}
