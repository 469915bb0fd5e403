package io.vnettracer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.Summary;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store fed as a trace feeds it (a real joiner, generated events), read back with SQL. */
class StoreSinkTest {
    @Test
    void everyEventAndJourneyIsARowAndTheSummaryIsInTheTables(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("t.duckdb");
        SyntheticTrace trace = new SyntheticTrace();
        int n = 10_000;
        try (StoreSink sink = new StoreSink(db, trace.catalog, code -> "REASON_" + code, 123)) {
            trace.joiner.setListener(sink::onJourney);
            for (int i = 0; i < n; i++) {
                for (int probe = 0; probe < 2; probe++) {
                    trace.joiner.onEvent(trace.sighting(i, probe));
                    sink.onEvent(trace.view);
                }
            }
            trace.joiner.flush();
            Summary summary = trace.joiner.summary(id -> 0);
            sink.finish(summary);
            assertEquals(2L * n, sink.eventsStored());
        }
        assertEquals(List.of(List.of("rx", 10_000L), List.of("tx", 10_000L)),
                rows(db, "SELECT probe, count(*) FROM events GROUP BY probe ORDER BY probe"));
        assertEquals(List.of(List.of(10_000L, 10_000L, true)),
                rows(db, "SELECT count(*), count(DISTINCT journey), bool_and(delivered AND hops = 2) FROM journeys"));
        assertEquals(List.of(List.of("udp 10.0.0.1:5000 > 10.0.0.2:6000", 10_000L, 10_000L, 0L, "tx > rx")),
                rows(db, "SELECT flow, sent, received, lost, path FROM flows"));
        // datagram i crosses in 1000 + i ns: the view's mean over all of them is exact
        assertEquals(List.of(List.of("tx", "rx", 10_000L, 1000 + (n - 1) / 2.0)),
                rows(db, "SELECT from_probe, to_probe, packets, mean_ns FROM segment_latency"));
        assertEquals(List.of(List.of("rx", "packet", 10_000L), List.of("tx", "packet", 10_000L)),
                rows(db, "SELECT * FROM probe_counts ORDER BY probe"));
        // journey i took 1000 + i ns and started at 1 ms × i, kernel time, + 123 ns to wall time
        assertEquals(List.of(List.of(10_000L, 1000L, 1000L + n - 1, 123L)), rows(db,
                "SELECT count(*), min(latency_ns), max(latency_ns), min(first_wall_ns) FROM journey_latency"));
        assertEquals(List.of(List.of("udp", "10.0.0.1", 5000, "10.0.0.2", 6000, 100)),
                rows(db, "SELECT DISTINCT protocol, src, sport, dst, dport, ip_len FROM events"));
        assertEquals(List.of(List.of("0", "0", "123")), rows(db,
                "SELECT max(value) FILTER (key = 'events_not_stored'), max(value) FILTER (key = 'journeys_not_stored'),"
                        + " max(value) FILTER (key = 'wall_offset_ns') FROM trace_info"));
    }

    @Test
    void recordsThatFindNoBatchAreCountedAndReported(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("t.duckdb");
        SyntheticTrace trace = new SyntheticTrace();
        CountDownLatch gate = new CountDownLatch(1);
        // 2 batches of 8 events and a writer held back: the first 16 events fit, the other 84 do not.
        StoreSink sink = new StoreSink(db, trace.catalog, null, 0, 2, 8, gate, false);
        for (int i = 0; i < 100; i++) {
            sink.onEvent(trace.sighting(i, 0));
        }
        gate.countDown();
        trace.joiner.flush();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.finish(trace.joiner.summary(id -> 0)));
        sink.close();
        assertEquals("the store's writer fell behind: 84 events and 0 journeys are not in " + db + " (trace_info says so too)",
                e.getMessage());
        assertEquals(List.of(List.of(16L)), rows(db, "SELECT count(*) FROM events"));
        assertEquals(List.of(List.of("84")), rows(db, "SELECT value FROM trace_info WHERE key = 'events_not_stored'"));
    }

    @Test
    void anExistingFileOrAMissingDirectoryIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path existing = Files.writeString(dir.resolve("old.duckdb"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new StoreSink(existing, new SyntheticTrace().catalog, null, 0));
        assertEquals(existing + ": the file exists; remove it first", e.getMessage());
        Path nowhere = dir.resolve("no/such/dir/t.duckdb");
        e = assertThrows(UncheckedIOException.class, () -> new StoreSink(nowhere, new SyntheticTrace().catalog, null, 0));
        assertEquals(nowhere + ": the directory " + dir.resolve("no/such/dir") + " does not exist; create it first", e.getMessage());
    }

    static List<List<Object>> rows(Path db, String sql) throws Exception {
        return StoreQuery.run(db, sql).rows();
    }
}
