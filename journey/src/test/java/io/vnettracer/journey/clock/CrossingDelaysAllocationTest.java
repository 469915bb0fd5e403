package io.vnettracer.journey.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The traffic estimator and the corrector allocate nothing per journey or event once their flows are known. */
class CrossingDelaysAllocationTest {
    @Test
    void estimatingAndCorrectingAllocateNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SimulatedNodes sim = RejoinTest.traffic(new SimulatedNodes(RejoinTest.SKEWED, RejoinTest.PROBES), 40_000, 1_000_000_000L);
        CrossingDelays delays = new CrossingDelays(sim.catalog);
        ClockCorrector corrector = new ClockCorrector(sim.catalog, Map.of("host", new ClockOffset(-1_200_000, 0),
                "vm2", new ClockOffset(3_700_000, 0)));
        java.util.function.UnaryOperator<EventView> correct = corrector::toReference;
        JourneyJoiner joiner = new JourneyJoiner(sim.catalog, JoinerConfig.defaults().withTimeoutNanos(50_000_000));
        joiner.setListener(delays);
        EventView view = new EventView();
        int warmup = sim.events() / 2;
        sim.feed(joiner, 0, warmup, correct, view);
        long before = threads.getCurrentThreadAllocatedBytes();
        sim.feed(joiner, warmup, sim.events(), correct, view);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated over " + (sim.events() - warmup) + " events");
        assertTrue(delays.crossingJourneys() > 70_000, "journeys measured: " + delays.crossingJourneys());
    }
}
