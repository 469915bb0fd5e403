package io.vnettracer.remote.collect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Offsets from clock readings over RPC: of {@link #SAMPLES} readings, the one with the shortest
 * round trip wins; the agent read its clock somewhere inside that round trip, so the offset is the
 * reading minus the round trip's midpoint, uncertain by half the round trip. Both clocks are
 * CLOCK_MONOTONIC (System.nanoTime() on Linux HotSpot), the clock of bpf_ktime_get_ns.
 */
public final class RoundTripClocks implements ClockOffsets {
    public static final int SAMPLES = 200;
    /** Calls made first and thrown away: the first ones pay for class loading and compilation on both ends. */
    public static final int WARM_UP = 50;

    private final Map<String, NodeClock> clocks = new ConcurrentHashMap<>();

    /**
     * Measures {@code node} ({@code readAgent} asks the agent for its clock once) and keeps this
     * estimate or an earlier one, whichever is less uncertain: two monotonic clocks keep their
     * offset (drift aside, negligible over a trace), so measuring again can only sharpen it.
     */
    public NodeClock measure(String node, LongSupplier readAgent) {
        for (int i = 0; i < WARM_UP; i++) {
            readAgent.getAsLong();
        }
        long bestRtt = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            long agent = readAgent.getAsLong();
            long after = System.nanoTime();
            long rtt = after - before;
            if (rtt < bestRtt) {
                bestRtt = rtt;
                bestOffset = agent - (before + rtt / 2);
            }
        }
        NodeClock clock = new NodeClock(bestOffset, (bestRtt + 1) / 2);
        return clocks.merge(node, clock, (old, fresh) -> fresh.uncertaintyNanos() < old.uncertaintyNanos() ? fresh : old);
    }

    @Override
    public NodeClock of(String node) {
        return clocks.getOrDefault(node, NodeClock.SAME);
    }
}
