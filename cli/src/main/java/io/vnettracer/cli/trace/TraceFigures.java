package io.vnettracer.cli.trace;

import io.vnettracer.journey.Summary;
import io.vnettracer.session.EventConsumer;
import io.vnettracer.session.TraceSession;

/**
 * Where a trace's summaries come from, whatever the mode: records joined in user space
 * ({@link JoiningConsumer}) or figures the kernel added up ({@link AggregatingConsumer}). Both run on
 * the session's drain thread and publish a summary about once a second, and at once when a flow
 * appears.
 */
public interface TraceFigures extends EventConsumer {
    /** The session whose probes feed it; set once it has started. */
    void attach(TraceSession session);

    /** The latest summary (null before the first). */
    Summary latest();

    /** The session is about to stop its probes: what travels now is in flight, not lost. */
    void closing();

    /** The final summary; call once the session is closed. */
    Summary finish();
}
