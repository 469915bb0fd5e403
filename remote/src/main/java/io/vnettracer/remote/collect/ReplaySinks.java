package io.vnettracer.remote.collect;

import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.sinks.TraceSink;
import java.util.List;

/** Opens the sinks that get the collector's final replay (a store, a pcapng file). */
@FunctionalInterface
public interface ReplaySinks {
    /**
     * @param catalog         the collector's catalog: probes named NODE/NAME, collector-side ids
     * @param wallOffsetNanos CLOCK_REALTIME − the clock of the replay's timestamps, which is the reference
     *                        node's (its own monotonic clock, not the collector's): a timestamp plus this
     *                        is the reference node's wall time
     */
    List<TraceSink> open(ProbeCatalog catalog, long wallOffsetNanos);
}
