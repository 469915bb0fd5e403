package io.vnettracer.remote.agent;

import io.vnettracer.event.EventView;
import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.export.prometheus.PrometheusSink;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.SummaryPacing;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.session.EventConsumer;
import io.vnettracer.session.ShortfallReader;
import io.vnettracer.session.TraceSession;

/**
 * An agent's own join of its own probes, exposed as Prometheus metrics while it traces. The agent
 * streams raw records to the collector, which joins all nodes at the end; this joiner sees this
 * node only (its probe names without the node prefix, ordered by its one clock) and exists so a
 * node can be watched live. Fed on the drain thread after the batcher, as the trace command's
 * joining consumer is: the joiner is touched on that thread only (and after the session closed);
 * a summary goes to the sink about once a second, and early when a new flow appeared ({@link SummaryPacing}).
 */
final class LocalMetrics implements EventConsumer {
    private final EventConsumer next;
    private final ProbeCatalog catalog;
    private final JourneyJoiner joiner;
    private final PrometheusSink sink;
    private final ShortfallReader shortfalls;
    private volatile TraceSession session;
    private volatile RuntimeException failure;
    private final SummaryPacing pacing = new SummaryPacing();

    private LocalMetrics(EventConsumer next, ProbeCatalog catalog, PrometheusSink sink) {
        this.next = next;
        this.catalog = catalog;
        this.sink = sink;
        this.joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        joiner.setListener(sink::onJourney);
        this.shortfalls = new ShortfallReader(joiner.shortfalls()::ringLoss, joiner.shortfalls()::sampling);
    }

    /** Starts serving on {@code address}; events go on to {@code next} first. Throws UncheckedIOException for a busy port. */
    static LocalMetrics serve(ListenAddress address, EventConsumer next) {
        ProbeCatalog catalog = new ProbeCatalog(ProbeMaps.MAX_PROBES);
        return new LocalMetrics(next, catalog, PrometheusSink.start(address, catalog));
    }

    PrometheusSink sink() {
        return sink;
    }

    /** Names probe {@code id}; call before it attaches, so its first event joins. */
    void probe(int id, ProbeDefinition def) {
        catalog.probeFromSpec(id, def.name(), def.spec().text());
    }

    void attach(TraceSession session) {
        this.session = session;
        sink.countUndecodableFrom(session::undecodableEvents);
    }

    @Override
    public void onEvent(EventView event) {
        next.onEvent(event);
        if (failure != null) {
            return;
        }
        try {
            joiner.onEvent(event);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    @Override
    public void afterDrain(int events) {
        next.afterDrain(events);
        if (failure != null) {
            return;
        }
        try {
            long now = System.nanoTime();
            readShortfalls();
            joiner.advanceTo(now);
            if (pacing.due(now, joiner.flowsAppeared())) {
                long start = System.nanoTime();
                sink.onSummary(joiner.summary(shortfalls::ringLoss));
                pacing.built(System.nanoTime() - start);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The final figures; call once the session is closed (its drain thread has ended). */
    void finish() {
        if (failure != null) {
            return;
        }
        readShortfalls();
        joiner.flush();
        Summary last = joiner.summary(shortfalls::ringLoss);
        sink.finish(last);
    }

    /** The first error the local join met (it then stopped; the records still stream), or null. */
    RuntimeException failure() {
        return failure;
    }

    void close() {
        sink.close();
    }

    private void readShortfalls() {
        TraceSession s = session;
        if (s != null) {
            shortfalls.read(s);
        }
    }
}
