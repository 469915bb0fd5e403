package io.vnettracer.journey.clock;

/**
 * One node's clock as estimated.
 *
 * @param offset the node's clock minus the reference's, or null when {@code source} is {@link ClockSource#NONE}
 */
public record NodeClock(String node, ClockOffset offset, ClockSource source) {
    public boolean known() {
        return offset != null;
    }
}
