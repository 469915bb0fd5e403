package io.vnettracer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vnettracer.sinks.report.MessageLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SockperfLogTest {
    /** sockperf 3.7's --full-log of one demo run, cut to its first and last rows: a report with rows in it. */
    @Test
    void readsTheRowsOfARealLogAndKeepsThemAsACleanCsv(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("full-log.txt");
        try (var in = SockperfLogTest.class.getResourceAsStream("sockperf-full-log.txt")) {
            Files.copy(in, raw);
        }
        MessageLog log = SockperfLog.read(raw);
        assertEquals(10, log.size());
        assertEquals(2.411457632, log.txTimeS()[0], 1e-12);
        assertEquals(2.419134867, log.rxTimeS()[0], 1e-12);
        assertEquals(3838.618, log.sockperfUs()[0], 1e-9);
        assertEquals(33.634, log.sockperfUs()[9], 1e-9);
        assertNull(log.tracerUs());

        Path csv = dir.resolve("messages.csv");
        double[] tracer = new double[10];
        java.util.Arrays.fill(tracer, 12.5);
        log.withTracer(tracer).write(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(11, lines.size(), "one header line and a row per message");
        assertEquals("message,tx_time_s,rx_time_s,sockperf_half_round_trip_us,vnettracer_half_round_trip_us",
                lines.getFirst());
        assertEquals("0,2.411457632,2.419134867,3838.618,12.500", lines.get(1));
        for (String row : lines.subList(1, lines.size())) {
            for (String field : row.split(",")) {
                Double.parseDouble(field);
            }
        }
    }
}
