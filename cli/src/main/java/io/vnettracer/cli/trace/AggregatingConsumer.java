package io.vnettracer.cli.trace;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.SummaryPacing;
import io.vnettracer.journey.aggregate.AggregateSummaryBuilder;
import io.vnettracer.session.TraceSession;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Aggregate mode's summaries: no event comes (the probes add up in the kernel); after each drain
 * pass, when a summary is due ({@link SummaryPacing}: a second, or a new flow), the session's maps are
 * read and swept and the figures turned into a {@link Summary}. Runs on the session's drain thread.
 */
public final class AggregatingConsumer implements TraceFigures {
    private final AggregateSummaryBuilder builder;
    private final AtomicReference<Summary> published = new AtomicReference<>();
    private final SummaryPacing pacing = new SummaryPacing();
    private volatile TraceSession session;
    private volatile boolean closing;
    /** Events that arrived anyway (a probe added live in record mode is refused, so: none expected). */
    private long unexpectedEvents;

    public AggregatingConsumer(AggregateSummaryBuilder builder) {
        this.builder = builder;
    }

    @Override
    public void attach(TraceSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(EventView event) {
        unexpectedEvents++;
    }

    @Override
    public void afterDrain(int events) {
        TraceSession s = session;
        if (s == null || closing) return;
        long now = System.nanoTime();
        if (pacing.due(now, s.aggregatedFlows())) {
            long start = System.nanoTime();
            published.set(builder.build(s.aggregates(now)));
            // The scan of the sightings table (megabytes) runs at most once a second on its own: the
            // pacing that keeps new-flow summaries cheap counts the rest.
            pacing.built(System.nanoTime() - start - s.aggregateScanNanos());
        }
    }

    @Override
    public Summary latest() {
        return published.get();
    }

    @Override
    public void closing() {
        closing = true;
    }

    @Override
    public Summary finish() {
        return builder.build(session.aggregates(System.nanoTime()));
    }
}
