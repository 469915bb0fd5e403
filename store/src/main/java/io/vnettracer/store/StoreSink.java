package io.vnettracer.store;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.output.OutputFile;
import io.vnettracer.worker.Worker;
import io.vnettracer.worker.WorkerFailure;
import io.vnettracer.worker.WorkerFailures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.duckdb.DuckDBConnection;

/**
 * A trace into a DuckDB file (docs/STORE.md): every event and finalized journey as rows while the
 * trace runs, the final summary's probes, flows, segments and drops at its end.
 *
 * <p>On the drain thread {@link #onEvent} and {@link #onJourney} only copy into preallocated
 * batches ({@link BatchHandoff}); a writer thread of this sink appends them to DuckDB. If that
 * thread falls behind by more than the batches hold, the records that find no batch are not stored
 * and counted; {@link #finish} then writes everything else and fails saying how many are missing,
 * and {@code trace_info} holds the same counts. A writer that fails (a full disk) stops at once and
 * tells the trace ({@link #reportFailuresTo}), which ends: what it no longer took is counted too.
 */
public final class StoreSink implements TraceSink {
    static final int EVENT_BATCHES = 16;
    static final int EVENTS_PER_BATCH = 4096;
    static final int JOURNEY_BATCHES = 8;
    static final int JOURNEY_BATCH_BYTES = 256 * 1024;

    private final Path file;
    private final ProbeCatalog catalog;
    private final long wallOffsetNanos;
    private final Instant started = Instant.now();
    private final DuckDBConnection connection;
    private final BatchHandoff handoff;
    private final StoreWriter writer;
    private final Worker writerThread;
    private final WorkerFailures failures = new WorkerFailures();
    private final Map<String, String> origin = new LinkedHashMap<>();
    private final java.util.concurrent.CountDownLatch writerGate;
    private final StagedFile staged;
    private boolean finishCalled;
    private boolean finished;
    private boolean closed;

    /**
     * Creates {@code file} with the store's tables and starts the writer thread.
     *
     * @param dropReasonNames the kernel's name of a drop reason code, or null
     * @param wallOffsetNanos CLOCK_REALTIME − CLOCK_MONOTONIC at trace start
     * @throws UncheckedIOException when the file exists or cannot be created, saying which and why
     */
    public StoreSink(Path file, ProbeCatalog catalog, IntFunction<String> dropReasonNames, long wallOffsetNanos) {
        this(newStore(file), catalog, dropReasonNames, wallOffsetNanos);
    }

    /** Into {@code file} as {@link OutputFile} allows (an existing store only with --force). */
    public StoreSink(OutputFile file, ProbeCatalog catalog, IntFunction<String> dropReasonNames, long wallOffsetNanos) {
        this(file, catalog, dropReasonNames, wallOffsetNanos, EVENT_BATCHES, EVENTS_PER_BATCH, null, false);
    }

    /** With {@code writerGate}, the writer waits for it before its first batch (tests hold it back so). */
    StoreSink(Path file, ProbeCatalog catalog, IntFunction<String> dropReasonNames, long wallOffsetNanos,
              int eventBatches, int eventsPerBatch, java.util.concurrent.CountDownLatch writerGate, boolean waitForWriter) {
        this(newStore(file), catalog, dropReasonNames, wallOffsetNanos, eventBatches, eventsPerBatch, writerGate, waitForWriter);
    }

    private StoreSink(OutputFile output, ProbeCatalog catalog, IntFunction<String> dropReasonNames, long wallOffsetNanos,
              int eventBatches, int eventsPerBatch, java.util.concurrent.CountDownLatch writerGate, boolean waitForWriter) {
        this.writerGate = writerGate;
        this.file = output.path();
        this.catalog = catalog;
        this.wallOffsetNanos = wallOffsetNanos;
        staged = StagedFile.beside(output.regularOnly());
        IntFunction<String> names = dropReasonNames == null ? code -> null : dropReasonNames;
        try {
            connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + staged.file());
        } catch (SQLException e) {
            staged.discard();
            throw new UncheckedIOException("cannot create the store " + file + ": " + e.getMessage(), new IOException(e));
        }
        try {
            StoreSchema.create(connection);
        } catch (SQLException e) {
            closeConnection();
            staged.discard();
            throw new UncheckedIOException("cannot create the tables of the store " + file + ": " + e.getMessage(), new IOException(e));
        }
        writer = new StoreWriter(connection, catalog, names);
        handoff = new BatchHandoff(eventBatches, eventsPerBatch, JOURNEY_BATCHES, JOURNEY_BATCH_BYTES, waitForWriter);
        writerThread = Worker.start("the store writer", "vnettracer-store", failures, this::writeBatches);
    }

    /** A store is one trace: a library caller's path must not hold one yet. */
    private static OutputFile newStore(Path file) {
        return OutputFile.newOnly(file);
    }

    /**
     * A sink for an import or a collector's replay: the caller waits for the writer instead of losing records.
     *
     * @param wallOffsetNanos CLOCK_REALTIME − the clock of the events' timestamps (0 where it is not known)
     */
    public static StoreSink forImport(Path file, ProbeCatalog catalog, IntFunction<String> dropReasonNames,
                                      long wallOffsetNanos) {
        return forImport(newStore(file), catalog, dropReasonNames, wallOffsetNanos);
    }

    /** As {@link #forImport(Path, ProbeCatalog, IntFunction, long)}, into {@code file} as {@link OutputFile} allows. */
    public static StoreSink forImport(OutputFile file, ProbeCatalog catalog, IntFunction<String> dropReasonNames,
                                      long wallOffsetNanos) {
        return new StoreSink(file, catalog, dropReasonNames, wallOffsetNanos, EVENT_BATCHES, EVENTS_PER_BATCH, null, true);
    }

    /** Says where the rows came from (trace_info's {@code source}); before {@link #finish}. */
    public StoreSink origin(String key, String value) {
        origin.put(key, value);
        return this;
    }

    /** The writer thread; ends by throwing the writer's first failure, which ends the trace. */
    private void writeBatches(Worker self) throws Exception {
        try {
            writer.open();
            if (writerGate != null) {
                writerGate.await();
            }
            RecordBatch batch;
            while (writer.failure() == null && (batch = handoff.next()) != null) {
                writer.write(batch);
                handoff.recycle(batch);
            }
            if (writer.failure() != null) {
                throw new IOException("writing the store " + file + ": " + writer.failure().getMessage(), writer.failure());
            }
        } finally {
            handoff.writerEnded();
            writer.flush();
        }
    }

    @Override
    public void reportFailuresTo(Consumer<WorkerFailure> owner) {
        failures.forwardTo(owner);
    }

    @Override
    public void onEvent(EventView event) {
        handoff.event(event);
    }

    @Override
    public void onJourney(FinishedJourney journey) {
        handoff.journey(journey);
    }

    /**
     * Waits for the writer, then writes the summary's tables and the counts.
     *
     * @throws IllegalStateException when records were not stored (writer behind or failed), saying how many
     */
    @Override
    public void finish(Summary summary) {
        finishCalled = true;
        stopWriter();
        finished = true;
        Map<String, String> info = new LinkedHashMap<>();
        info.put("store_version", Integer.toString(StoreSchema.VERSION));
        info.put("source", "trace");
        info.putAll(origin);
        info.put("started_at", started.toString());
        info.put("wall_offset_ns", Long.toString(wallOffsetNanos));
        info.put("events_stored", Long.toString(writer.eventsStored()));
        info.put("events_not_stored", Long.toString(eventsNotStored()));
        info.put("journeys_stored", Long.toString(writer.journeysStored()));
        info.put("journeys_not_stored", Long.toString(journeysNotStored()));
        info.put("events_lost_in_ring", Long.toString(summary.eventsLost()));
        info.put("joiner_counters", String.valueOf(summary.counters()));
        try {
            SummaryRows.write(connection, summary, catalog);
            SummaryRows.info(connection, info);
            try (Statement s = connection.createStatement()) {
                s.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the summary into the store " + file + ": " + e.getMessage(), e);
        }
        if (writer.failure() != null) {
            throw new IllegalStateException("writing the store " + file + " failed: " + writer.failure().getMessage()
                    + "; " + eventsNotStored() + " events and " + journeysNotStored() + " journeys are not in it");
        }
        if (eventsNotStored() > 0 || journeysNotStored() > 0) {
            throw new IllegalStateException("the store's writer fell behind: " + eventsNotStored() + " events and "
                    + journeysNotStored() + " journeys are not in " + file + " (trace_info says so too)");
        }
    }

    /** Events not in the store: no free batch when they came, or the writer failed. Final after {@link #finish}. */
    public long eventsNotStored() {
        return handoff.eventsNotStored() + writer.eventsFailed();
    }

    public long journeysNotStored() {
        return handoff.journeysNotStored() + writer.journeysFailed();
    }

    public long eventsStored() {
        return writer.eventsStored();
    }

    private void stopWriter() {
        if (!writerThread.isAlive() && finished) {
            return;
        }
        handoff.close();
        try {
            writerThread.await(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the store " + file + " was being written", e);
        }
        if (writerThread.failure() != null) {
            handoff.abandonQueued();
        }
    }

    @Override
    public String describe() {
        return "store " + file;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!finished) {
                stopWriter();
            }
        } finally {
            closeConnection();
            // A store whose trace never finished holds nothing worth keeping; a finished one is kept even when finish failed.
            if (finishCalled) {
                staged.publish();
            } else {
                staged.discard();
            }
        }
    }

    private void closeConnection() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new UncheckedIOException("cannot close the store " + file + ": " + e.getMessage(), new IOException(e));
        }
    }
}
