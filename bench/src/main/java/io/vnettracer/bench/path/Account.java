package io.vnettracer.bench.path;

import java.util.Map;

/**
 * What a tracer saw and dropped during one load, in its own terms ({@link Configuration#counts}
 * says which): events recorded and lost in the ring buffers for vNetTracer, packets captured and
 * dropped by the kernel for tcpdump, lines printed and events lost for bpftrace.
 *
 * @param seen        what it saw, or {@link #NOT_REPORTED}
 * @param lost        what it dropped, or {@link #NOT_REPORTED}
 * @param lostByPoint what it dropped at each probe, in probe order, when it says (vNetTracer); else empty
 * @param line        one line for the log
 */
record Account(long seen, long lost, Map<String, Long> lostByPoint, String line) {
    /** The tool printed no such count (or it could not be read). */
    static final long NOT_REPORTED = -1;

    /** Nothing attached, nothing to account for. */
    static final Account NONE = new Account(NOT_REPORTED, NOT_REPORTED, Map.of(), "");
}
