package io.vnettracer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.export.otlp.ClockOffset;
import io.vnettracer.export.otlp.OtlpSink;
import io.vnettracer.export.otlp.OtlpStats;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.worker.WorkerFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OTLP exporter thread runs as a Worker: an Error while it builds spans (here: from the drop
 * reason names it is given) reaches the trace at once, and the journeys it did not send are counted.
 */
class OtlpExporterFailureTest {
    @Test
    void anErrorInTheExporterIsReportedAndItsJourneysCounted() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            CompletableFuture<WorkerFailure> told = new CompletableFuture<>();
            OtlpSink otlp = new OtlpSink(receiver.url("/v1/traces"), 1, SyntheticJourneys.CATALOG, 8, code -> {
                throw new OutOfMemoryError("simulated: Java heap space");
            }, new ClockOffset(0, 0), 1024);
            otlp.reportFailuresTo(told::complete);
            JourneyJoiner joiner = SyntheticJourneys.joiner();
            joiner.setListener(otlp::onJourney);
            SyntheticJourneys journeys = new SyntheticJourneys(100);
            journeys.feed(joiner, journeys.write(0, 100));
            joiner.flush();

            WorkerFailure failure = told.get(2, TimeUnit.SECONDS);
            assertEquals("vnettracer-otlp", failure.thread());
            assertTrue(failure.line().startsWith("the OTLP exporter (thread vnettracer-otlp) failed: java.lang.OutOfMemoryError"),
                    failure.line());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> otlp.finish(joiner.summary(id -> 0)));
            OtlpStats stats = otlp.stats();
            assertEquals(100, stats.sampled(), stats.toString());
            assertEquals(stats.sampled(), stats.exported() + stats.failed() + stats.noSightings() + stats.queueDropped(),
                    "every sampled journey is exported or counted: " + stats);
            assertTrue(stats.failed() > 0, stats.toString());
            assertTrue(e.getMessage().contains("failed"), e.getMessage());
        }
    }
}
