package io.vnettracer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void journeysAreHandedOverWithoutAllocating(@TempDir Path dir) {
        SyntheticTrace trace = new SyntheticTrace();
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[2];
        boolean[] measuring = new boolean[1];
        try (StoreSink sink = new StoreSink(dir.resolve("j.duckdb"), trace.catalog, null, 0)) {
            // only the sink's part is measured: the joiner's own bookkeeping is not the store's
            trace.joiner.setListener(j -> {
                long before = bean.getCurrentThreadAllocatedBytes();
                sink.onJourney(j);
                if (measuring[0]) {
                    allocated[0] += bean.getCurrentThreadAllocatedBytes() - before;
                    allocated[1]++;
                }
            });
            for (int i = 0; i < 40_000; i++) {
                measuring[0] = i >= 20_000;
                feed(trace, i);
            }
        }
        assertTrue(allocated[1] > 19_000, allocated[1] + " journeys handed over while measuring");
        assertEquals(0, allocated[0], "bytes allocated handing " + allocated[1] + " journeys over");
    }

    private static void feed(SyntheticTrace trace, int i) {
        trace.joiner.onEvent(trace.sighting(i, 0));
        trace.joiner.onEvent(trace.sighting(i, 1));
        if ((i & 255) == 0) {
            trace.joiner.advanceTo(1_000_000L * i);
        }
    }

    @Test
    void sustainedWriteRate(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("rate.duckdb");
        SyntheticTrace trace = new SyntheticTrace();
        long start = System.nanoTime();
        Summary summary;
        // The import's hand-over waits for the writer, so this measures the writer, not the pool size.
        try (StoreSink sink = StoreSink.forImport(db, trace.catalog, null, 0)) {
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
