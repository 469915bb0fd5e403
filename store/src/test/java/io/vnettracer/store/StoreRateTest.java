package io.vnettracer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.ThreadMXBean;
import io.vnettracer.journey.Summary;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store costs: the drain thread's side allocates nothing per record, and the writer's
 * sustained rate (records/s into DuckDB, events plus journeys) is printed for docs/STORE.md.
 */
class StoreRateTest {
    private static final int DATAGRAMS = 500_000;

    @Test
    void theDrainSideAllocatesNothingPerRecord(@TempDir Path dir) {
        SyntheticTrace trace = new SyntheticTrace();
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        try (StoreSink sink = new StoreSink(dir.resolve("a.duckdb"), trace.catalog, null, 0)) {
            for (int i = 0; i < 20_000; i++) {
                sink.onEvent(trace.sighting(i, 0));
            }
            long before = bean.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 20_000; i++) {
                sink.onEvent(trace.sighting(i, 1));
            }
            long allocated = bean.getThreadAllocatedBytes(thread) - before;
            assertEquals(0, allocated, "bytes allocated by 20000 onEvent calls");
        }
    }

    @Test
    void sustainedWriteRate(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("rate.duckdb");
        SyntheticTrace trace = new SyntheticTrace();
        long start = System.nanoTime();
        Summary summary;
        // The import's hand-over waits for the writer, so this measures the writer, not the pool size.
        try (StoreSink sink = StoreSink.forImport(db, trace.catalog, null)) {
            trace.joiner.setListener(sink::onJourney);
            for (int i = 0; i < DATAGRAMS; i++) {
                for (int probe = 0; probe < 2; probe++) {
                    trace.joiner.onEvent(trace.sighting(i, probe));
                    sink.onEvent(trace.view);
                }
                if ((i & 1023) == 0) {
                    trace.joiner.advanceTo(1_000_000L * i);
                }
            }
            trace.joiner.flush();
            summary = trace.joiner.summary(id -> 0);
            sink.finish(summary);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long records = 2L * DATAGRAMS + DATAGRAMS;
        System.out.printf("store: %d events + %d journeys (%d hops) in %.2f s: %.0f records/s, %.0f events/s%n",
                2L * DATAGRAMS, DATAGRAMS, 2L * DATAGRAMS, seconds, records / seconds, 2L * DATAGRAMS / seconds);
        assertEquals(List.of(List.of((long) 2 * DATAGRAMS, (long) DATAGRAMS)), StoreSinkTest.rows(db,
                "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM journeys)"));
    }
}
