package io.vnettracer.sinks.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a latency figure spans: one direction (sender's socket to receiver's socket) or a request and its reply. */
enum LatencyKind {
    ONE_WAY("one-way"),
    ROUND_TRIP("round-trip");

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
