package io.vnettracer.remote.collect;

import io.vnettracer.journey.clock.ClockOffset;
import io.vnettracer.journey.clock.RoundTripEstimator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Offsets from clock readings over RPC ({@link RoundTripEstimator}, Cristian: of {@link #SAMPLES}
 * readings the shortest round trip wins, offset ± half of it). Both clocks are CLOCK_MONOTONIC
 * (System.nanoTime() on Linux HotSpot), the clock of bpf_ktime_get_ns.
 */
public final class RoundTripClocks implements ClockOffsets {
    public static final int SAMPLES = 200;
    /** Calls made first and thrown away: the first ones pay for class loading and compilation on both ends. */
    public static final int WARM_UP = 50;

    private final Map<String, ClockOffset> clocks = new ConcurrentHashMap<>();

    /**
     * Measures {@code node} ({@code readAgent} asks the agent for its clock once) and keeps this
     * estimate or an earlier one, whichever is less uncertain: two monotonic clocks keep their
     * offset (drift aside, negligible over a trace), so measuring again can only sharpen it.
     */
    public ClockOffset measure(String node, LongSupplier readAgent) {
        for (int i = 0; i < WARM_UP; i++) {
            readAgent.getAsLong();
        }
        RoundTripEstimator estimator = new RoundTripEstimator();
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            long agent = readAgent.getAsLong();
            estimator.add(before, agent, System.nanoTime());
        }
        ClockOffset clock = estimator.estimate();
        return clocks.merge(node, clock, (old, fresh) -> fresh.uncertaintyNanos() < old.uncertaintyNanos() ? fresh : old);
    }

    @Override
    public ClockOffset of(String node) {
        return clocks.getOrDefault(node, ClockOffset.ZERO);
    }
}
