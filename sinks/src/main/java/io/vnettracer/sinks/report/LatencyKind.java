package io.vnettracer.sinks.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a latency figure spans: one direction (sender's socket to receiver's socket), a request and its reply, or half of that. */
enum LatencyKind {
    ONE_WAY("one-way"),
    ROUND_TRIP("round-trip"),
    /** Half of a round trip: what sockperf reports as latency, and the tracer's figure beside it. */
    HALF_ROUND_TRIP("half-round-trip");

    private final String text;

    LatencyKind(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    static LatencyKind parse(String text, JsonFields where) {
        for (LatencyKind k : values()) {
            if (k.text.equals(text)) {
                return k;
            }
        }
        throw where.problem("kind: '" + text + "' is not one of "
                + Arrays.stream(values()).map(k -> "'" + k.text + "'").collect(Collectors.joining(", ")));
    }
}
