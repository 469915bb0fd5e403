package io.vnettracer.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtlpEndpointTest {
    @Test
    void aUrlWithoutPathGetsTheOtlpTracesPath() {
        assertEquals("http://127.0.0.1:4318/v1/traces", OtlpSink.endpoint("http://127.0.0.1:4318").toString());
        assertEquals("http://127.0.0.1:4318/v1/traces", OtlpSink.endpoint("http://127.0.0.1:4318/").toString());
        assertEquals("https://otel.example:443/custom/traces", OtlpSink.endpoint("https://otel.example:443/custom/traces").toString());
    }

    @Test
    void notAnHttpUrl() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OtlpSink.endpoint("grpc://x:4317")).getMessage()
                .contains("is not an http(s)://"));
        assertThrows(IllegalArgumentException.class, () -> OtlpSink.endpoint("collector:4318"));
        assertThrows(IllegalArgumentException.class, () -> OtlpSink.endpoint("http://bad host/"));
    }

    @Test
    void spanIdsOfOneTraceAreDistinctAndNeverZero() {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            long id = JourneySpans.spanId(0, 0, i);
            assertNotEquals(0, id);
            ids.add(id);
        }
        assertEquals(64, ids.size());
    }

    @Test
    void theClockOffsetIsRealtimeMinusMonotonic() {
        ClockOffset clock = ClockOffset.measure();
        long nowEpoch = System.currentTimeMillis() * 1_000_000L;
        long converted = clock.toEpochNanos(System.nanoTime());
        assertTrue(Math.abs(converted - nowEpoch) < 50_000_000L, "converted " + converted + " vs " + nowEpoch);
        assertTrue(clock.uncertaintyNanos() < 1_000_000, "uncertainty " + clock.uncertaintyNanos());
    }
}
