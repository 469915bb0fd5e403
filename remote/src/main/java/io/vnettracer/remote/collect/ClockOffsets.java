package io.vnettracer.remote.collect;

/**
 * Each node's clock against the collector's. The round-trip estimate ({@link RoundTripClocks}) is
 * one source; an estimate from traffic crossing nodes in both directions can replace it.
 */
@FunctionalInterface
public interface ClockOffsets {
    /** The node's clock; {@link NodeClock#SAME} for a node it knows nothing of. */
    NodeClock of(String node);
}
