package io.vnettracer.cli.trace;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.session.EventConsumer;
import io.vnettracer.session.TraceSession;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.sinks.events.EventFileWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a trace does with each event, on the session's drain thread: join it into journeys and,
 * with an events file, append it there. The joiner is touched on that thread only (and by the
 * thread that closes the session, after the drain thread has ended); the view thread sees a
 * {@link Summary} published about once a second through one atomic reference, so the per-event
 * path takes no lock and allocates nothing.
 *
 * <p>Event time follows the kernel's clock: after each drain pass the joiner is advanced to now,
 * read with {@link System#nanoTime()}, which HotSpot on Linux takes from CLOCK_MONOTONIC, the clock
 * of {@code bpf_ktime_get_ns}. Journeys idle for the joiner's timeout are so finalized even when no
 * event comes; the published summary therefore lags live traffic by that timeout (2 s).
 */
public final class JoiningConsumer implements EventConsumer {
    static final long PUBLISH_EVERY_NANOS = 1_000_000_000L;

    private final JourneyJoiner joiner;
    private final EventFileWriter events;
    private final TraceSink[] sinks;
    private final long[] ringLosses = new long[ProbeMaps.MAX_PROBES];
    private final AtomicReference<Summary> published = new AtomicReference<>();
    private volatile TraceSession session;
    private volatile boolean closing;
    private volatile RuntimeException failure;
    private long nextPublish = Long.MIN_VALUE;

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
        if (this.sinks.length > 0) {
            joiner.setListener(journey -> {
                for (TraceSink sink : this.sinks) sink.onJourney(journey);
            });
        }
    }

    /** The session whose ring losses the summaries report; set once it has started. */
    public void attach(TraceSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(EventView event) {
        if (failure != null) {
            return;
        }
        try {
            joiner.onEvent(event);
            if (events != null) {
                events.write(event);
            }
            for (TraceSink sink : sinks) {
                sink.onEvent(event);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    @Override
    public void afterDrain(int count) {
        if (failure != null) {
            return;
        }
        try {
            long now = System.nanoTime();
            joiner.advanceTo(now);
            if (closing) {
                // The probes are detached by now or about to be: these counts are the final ones.
                readRingLosses();
            } else if (now >= nextPublish) {
                nextPublish = now + PUBLISH_EVERY_NANOS;
                readRingLosses();
                published.set(joiner.summary(this::ringLoss));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Says that the session is about to close: losses are read after every remaining drain pass. */
    public void closing() {
        closing = true;
    }

    /** The latest summary, about a second old at most; null before the first drain pass. */
    public Summary latest() {
        return published.get();
    }

    /** The first error the drain thread met (then it stopped joining), or null. */
    public RuntimeException failure() {
        return failure;
    }

    /**
     * The final summary: every open journey finalized. Call once the session is closed (its drain
     * thread has ended).
     */
    public Summary finish() {
        joiner.flush();
        return joiner.summary(this::ringLoss);
    }

    private long ringLoss(int probeId) {
        return probeId >= 0 && probeId < ringLosses.length ? ringLosses[probeId] : 0;
    }

    private void readRingLosses() {
        TraceSession s = session;
        if (s == null) {
            return;
        }
        int attached = Math.min(ringLosses.length, s.nextProbeId());
        for (int id = 0; id < attached; id++) {
            ringLosses[id] = s.lostEvents(id);
        }
    }
}
