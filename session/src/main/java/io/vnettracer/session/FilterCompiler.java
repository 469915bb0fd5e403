package io.vnettracer.session;

import io.vnettracer.probe.program.KeyFilter;

/** Turns a filter expression into code; throws with a clear message (and column) for a malformed one. */
@FunctionalInterface
public interface FilterCompiler {
    /** The pcap-style filter language of docs/FILTERS.md. */
    FilterCompiler PCAP = KeyFilter::of;

    /** Accepts only the empty expression (for tests of probes without filters). */
    FilterCompiler NONE = expression -> {
        if (!expression.isBlank()) {
            throw new IllegalArgumentException("no filter compiler configured for '" + expression + "'");
        }
        return KeyFilter.ALL;
    };

    KeyFilter compile(String expression);
}
