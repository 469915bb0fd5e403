package io.vnettracer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.export.otlp.ClockOffset;
import io.vnettracer.export.otlp.OtlpSink;
import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.export.prometheus.PrometheusSink;
import io.vnettracer.journey.JourneyJoiner;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The sinks' drain-thread side allocates nothing in steady state: journeys from a real joiner go
 * to the Prometheus sink and to an OTLP sink (exporting to a receiver in the test, on its own
 * thread), and the drain thread's allocation counter is read around the joiner's calls.
 */
class DrainThreadAllocationTest {
    private static final int PER_BATCH = 4096;

    @Test
    void onJourneyAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SyntheticJourneys events = new SyntheticJourneys(PER_BATCH);
        JourneyJoiner joiner = SyntheticJourneys.joiner();
        try (OtlpReceiver receiver = new OtlpReceiver();
             PrometheusSink prometheus = PrometheusSink.start(ListenAddress.parse("127.0.0.1:0"), SyntheticJourneys.CATALOG);
             OtlpSink otlp = new OtlpSink(receiver.url("/v1/traces"), 4, SyntheticJourneys.CATALOG, 8, code -> "REASON_" + code,
                     ClockOffset.measure())) {
            joiner.setListener(j -> {
                prometheus.onJourney(j);
                otlp.onJourney(j);
            });
            int warmup = 10, measured = 40;
            long allocated = 0, journeys = 0;
            for (int b = 0; b < warmup + measured; b++) {
                int count = events.write(b * PER_BATCH, PER_BATCH);
                long finalizedBefore = joiner.counters().journeys();
                long before = threads.getCurrentThreadAllocatedBytes();
                events.feed(joiner, count);
                long after = threads.getCurrentThreadAllocatedBytes();
                if (b >= warmup) {
                    allocated += after - before;
                    journeys += joiner.counters().journeys() - finalizedBefore;
                }
            }
            joiner.flush();
            assertTrue(journeys >= 150_000, "measured " + journeys + " journeys");
            assertTrue(allocated < 1024, "the drain thread allocated " + allocated + " bytes over " + journeys + " journeys");

            // Journeys come far faster than one exporter thread posts them: the queue overflows and says so.
            String failure = null;
            try {
                otlp.finish(null);
            } catch (IllegalStateException e) {
                failure = e.getMessage();
            }
            var stats = otlp.stats();
            assertEquals((joiner.counters().journeys() + 3) / 4, stats.sampled(), stats.toString());
            assertEquals(stats.sampled(), stats.exported() + stats.queueDropped(), stats.toString());
            assertEquals(stats.exported(), receiver.spans("/v1/traces").stream().map(s -> s.getTraceId()).distinct().count());
            if (stats.queueDropped() > 0) {
                assertTrue(failure != null && failure.contains("queue full for " + stats.queueDropped()), String.valueOf(failure));
            } else {
                assertEquals(null, failure);
            }
            System.out.printf("drain thread: %d journeys to both sinks, %d bytes allocated; otlp %s%n", journeys, allocated, stats);
        }
    }
}
