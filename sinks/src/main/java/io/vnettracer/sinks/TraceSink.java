package io.vnettracer.sinks;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.Summary;
import io.vnettracer.worker.WorkerFailure;
import java.util.function.Consumer;

/**
 * Somewhere a trace's output goes besides the terminal: a store, an exporter, a transport. A trace
 * calls a sink from two threads with a fixed split:
 * <ul>
 *   <li>the drain thread: {@link #onEvent} for every decoded event and {@link #onJourney} for every
 *       finalized journey. These must not block and should not allocate: they run at the record
 *       rate. Buffer and hand over to a thread of your own if the work is slow.</li>
 *   <li>the trace's main thread: {@link #onSummary} about once a second while live, then
 *       {@link #finish} once with the final summary, then {@link #close}.</li>
 * </ul>
 * A sink that fails reports it from {@link #finish} or {@link #close} with an
 * {@link java.io.UncheckedIOException} or {@link IllegalStateException} saying what was lost; the
 * trace then exits 1. It must not throw from the drain-thread methods: count and report instead.
 * A sink with a thread of its own runs it as an {@link io.vnettracer.worker.Worker} and passes its
 * failure on through {@link #reportFailuresTo}: the trace then ends at once.
 */
public interface TraceSink extends AutoCloseable {
    /** Every decoded event, as the probe wrote it; the view is reused after the call. */
    default void onEvent(EventView event) {}

    /** Every journey the joiner finalizes; the view is reused after the call. */
    default void onJourney(FinishedJourney journey) {}

    /** The latest summary of a live trace (journeys finalized so far). */
    default void onSummary(Summary summary) {}

    /** The final summary: every journey finalized, the probes detached. */
    default void finish(Summary summary) {}

    /**
     * Tells {@code owner} (once, on the failing thread) when a thread of this sink fails; now if one
     * already has. Sinks without threads of their own never fail so.
     */
    default void reportFailuresTo(Consumer<WorkerFailure> owner) {}

    /** A short name for messages ("store trace.duckdb", "prometheus :9464"). */
    String describe();

    @Override
    void close();
}
