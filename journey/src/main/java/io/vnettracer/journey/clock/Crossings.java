package io.vnettracer.journey.clock;

import java.util.List;

/**
 * A copy of {@link CrossingDelays}' measurements, in the time base of the events that were joined.
 *
 * @param nodes   node names by node number
 * @param entries one per flow and node pair that a journey of the flow crossed
 */
public record Crossings(List<String> nodes, List<Entry> entries) {
    /**
     * One flow between nodes {@code a < b}: θ = offset(b) − offset(a) is at most {@code minLow} if
     * the flow goes a → b, at least {@code maxHigh} if it goes b → a.
     */
    public record Entry(int flow, int a, int b, long minLow, long maxHigh, long journeys) {}
}
