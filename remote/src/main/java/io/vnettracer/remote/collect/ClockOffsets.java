package io.vnettracer.remote.collect;

import io.vnettracer.journey.clock.ClockOffset;

/**
 * Each node's clock against the collector's. The round-trip estimate ({@link RoundTripClocks}) is
 * one source; an estimate from traffic crossing nodes in both directions can replace it.
 */
@FunctionalInterface
public interface ClockOffsets {
    /** The node's clock; {@link ClockOffset#ZERO} for a node it knows nothing of. */
    ClockOffset of(String node);
}
