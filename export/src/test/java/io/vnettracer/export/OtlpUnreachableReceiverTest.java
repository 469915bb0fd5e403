package io.vnettracer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.export.otlp.ClockOffset;
import io.vnettracer.export.otlp.OtlpSink;
import io.vnettracer.journey.JourneyJoiner;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A receiver that is not there: every sampled journey is counted failed and finish says why. */
class OtlpUnreachableReceiverTest {
    @Test
    void finishReportsEveryJourneyThatDidNotArrive() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SyntheticJourneys events = new SyntheticJourneys(100);
        JourneyJoiner joiner = SyntheticJourneys.joiner();
        try (OtlpSink otlp = new OtlpSink("http://127.0.0.1:" + closedPort, 2, SyntheticJourneys.CATALOG, 8, code -> null,
                ClockOffset.measure())) {
            joiner.setListener(otlp::onJourney);
            events.feed(joiner, events.write(0, 100));
            joiner.flush();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> otlp.finish(null));
            assertEquals(50, otlp.stats().sampled());
            assertEquals(50, otlp.stats().failed());
            assertEquals(0, otlp.stats().exported());
            assertTrue(e.getMessage().contains("failed 50") && e.getMessage().contains("cannot connect"), e.getMessage());
        }
    }
}
