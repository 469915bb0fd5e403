package io.vnettracer.cli.trace;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.SummaryPacing;
import io.vnettracer.session.EventConsumer;
import io.vnettracer.session.ShortfallReader;
import io.vnettracer.session.TraceSession;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.events.EventFileWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a trace does with each event, on the session's drain thread: join it into journeys and,
 * with an events file, append it there. The joiner is touched on that thread only (and by the
 * thread that closes the session, after the drain thread has ended); the view thread sees a
 * {@link Summary} published about once a second, and early when a new flow appeared
 * ({@link SummaryPacing}), through one atomic reference, so the per-event path takes no lock and
 * allocates nothing.
 *
 * <p>Event time follows the kernel's clock: after each drain pass the joiner is advanced to now,
 * read with {@link System#nanoTime()}, which HotSpot on Linux takes from CLOCK_MONOTONIC, the clock
 * of {@code bpf_ktime_get_ns}. Journeys idle for the joiner's timeout are so finalized even when no
 * event comes; a published summary lists a flow from its first packet, its journeys open until
 * their timeout (2 s) has passed (docs/JOURNEYS.md, "Live summaries").
 */
public final class JoiningConsumer implements TraceFigures {
    private final JourneyJoiner joiner;
    private final EventFileWriter events;
    private final TraceSink[] sinks;
    private final ShortfallReader shortfalls;
    private final AtomicReference<Summary> published = new AtomicReference<>();
    private volatile TraceSession session;
    private volatile boolean closing;
    private final SummaryPacing pacing = new SummaryPacing();
    /** When the session began to stop its probes (System.nanoTime, the probes' clock); set by {@link #closing()}. */
    private volatile long endOfTrace = Long.MIN_VALUE;

    /**
     * @param events   where raw events go, or null
     */
    public JoiningConsumer(JourneyJoiner joiner, EventFileWriter events) {
        this(joiner, events, List.of());
    }

    /**
     * @param events   where raw events go, or null
     * @param sinks    where events, journeys and summaries also go (see {@link TraceSink} for threads)
     */
    public JoiningConsumer(JourneyJoiner joiner, EventFileWriter events, List<TraceSink> sinks) {
        this.joiner = joiner;
        this.events = events;
        this.sinks = sinks.toArray(TraceSink[]::new);
        this.shortfalls = new ShortfallReader(joiner.shortfalls()::ringLoss, joiner.shortfalls()::sampling);
        if (this.sinks.length > 0) {
            joiner.setListener(journey -> {
                for (TraceSink sink : this.sinks) sink.onJourney(journey);
            });
        }
    }

    /** The session whose ring losses the summaries report; set once it has started. */
    @Override
    public void attach(TraceSession session) {
        this.session = session;
    }

    /** Whatever fails here (the joiner, the events file, a sink) ends the drain thread, and so the trace. */
    @Override
    public void onEvent(EventView event) {
        joiner.onEvent(event);
        if (events != null) {
            events.write(event);
        }
        for (TraceSink sink : sinks) {
            sink.onEvent(event);
        }
    }

    @Override
    public void afterDrain(int count) {
        long now = System.nanoTime();
        // Every pass: a loss is placed in time between two reads, and journeys missing a probe
        // in that interval are unaccounted rather than lost (docs/JOURNEYS.md).
        readShortfalls();
        joiner.advanceTo(now);
        if (!closing && pacing.due(now, joiner.flowsAppeared())) {
            long start = System.nanoTime();
            published.set(joiner.summary(shortfalls::ringLoss));
            pacing.built(System.nanoTime() - start);
        }
    }

    /**
     * Says that the session is about to close: its probes stop recording from now, so journeys
     * still travelling now are in flight, not lost.
     */
    @Override
    public void closing() {
        endOfTrace = System.nanoTime();
        closing = true;
    }

    /** The latest summary, about a second old at most (a new flow's: a drain pass); null before the first drain pass. */
    @Override
    public Summary latest() {
        return published.get();
    }

    /**
     * The final summary: every open journey finalized. Call once the session is closed (its drain
     * thread has ended).
     */
    @Override
    public Summary finish() {
        readShortfalls();
        if (endOfTrace == Long.MIN_VALUE) joiner.flush();
        else joiner.flush(endOfTrace);
        return joiner.summary(shortfalls::ringLoss);
    }

    private void readShortfalls() {
        TraceSession s = session;
        if (s != null) {
            shortfalls.read(s);
        }
    }
}
