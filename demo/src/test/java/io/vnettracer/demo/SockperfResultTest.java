package io.vnettracer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SockperfResultTest {
    @Test
    void readsTheFiguresOfARealReport() throws IOException {
        // sockperf 3.7's ping-pong report from one demo run (Case II of the switch study), as printed.
        String report;
        try (InputStream in = SockperfResultTest.class.getResourceAsStream("sockperf-ping-pong.txt")) {
            report = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SockperfResult r = SockperfResult.parse(report);
        assertEquals(1295.142, r.meanUs(), 1e-9);
        assertEquals(17.407, r.p50Us(), 1e-9);
        assertEquals(5014.240, r.p999Us(), 1e-9);
        assertEquals(1756, r.observations());
        assertEquals(400_000_000L, r.warmUpNanos());
        assertEquals(4_549_000_000L, r.validNanos());
        assertTrue(r.p90Us() <= r.p99Us());
    }

    @Test
    void aReportWithoutPercentilesSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SockperfResult.parse("sockperf: ERROR: connection refused"));
        assertTrue(e.getMessage().contains("no avg-latency"), e.getMessage());
    }
}
