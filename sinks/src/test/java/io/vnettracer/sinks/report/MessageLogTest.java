package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageLogTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWrote() {
        MessageLog log = new MessageLog(new double[] {1.5, 1.501}, new double[] {1.5001, 1.5012},
                new double[] {50.25, 100.5}, new double[] {48.0, 97.125});
        Path file = dir.resolve("m.csv");
        log.write(file);
        MessageLog back = MessageLog.read(file, "a test");
        assertArrayEquals(log.txTimeS(), back.txTimeS(), 1e-9);
        assertArrayEquals(log.rxTimeS(), back.rxTimeS(), 1e-9);
        assertArrayEquals(log.sockperfUs(), back.sockperfUs(), 1e-3);
        assertArrayEquals(log.tracerUs(), back.tracerUs(), 1e-3);
    }

    @Test
    void theTracersColumnIsOptional() throws Exception {
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "message,tx_time_s,rx_time_s,sockperf_half_round_trip_us\n0,1.0,1.1,50\n1,1.2,1.3,60\n");
        MessageLog log = MessageLog.read(file, "a test");
        assertEquals(2, log.size());
        assertNull(log.tracerUs());
    }

    @Test
    void badInputNamesTheFileTheLineAndTheColumn() throws Exception {
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "message,tx_time_s,rx_time_s,sockperf_half_round_trip_us\n0,1.0,1.1,fast\n");
        assertEquals("m.csv: line 2, sockperf_half_round_trip_us: 'fast' is not a finite number",
                assertThrows(ReportInputException.class, () -> MessageLog.read(file, "x")).getMessage());
        Files.writeString(file, "packet, txTime(sec), rxTime(sec), latency(usec)\n0, 1.0, 1.1, 50\n");
        assertEquals("m.csv: line 1: no column tx_time_s (the header is 'packet, txTime(sec), rxTime(sec), latency(usec)')",
                assertThrows(ReportInputException.class, () -> MessageLog.read(file, "x")).getMessage());
        assertEquals("no gone.csv in " + dir.toAbsolutePath() + ": it is named by demo.json: studies[0].cases[0]",
                assertThrows(ReportInputException.class,
                        () -> MessageLog.read(dir.resolve("gone.csv"), "demo.json: studies[0].cases[0]")).getMessage());
    }
}
