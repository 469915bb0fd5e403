package io.vnettracer.session;

import io.vnettracer.probe.program.KeyFilter;

/** Turns a filter expression into code; throws with a clear message for a malformed one. */
@FunctionalInterface
public interface FilterCompiler {
    /** Accepts only the empty expression. */
    FilterCompiler NONE = expression -> {
        if (!expression.isBlank()) {
            throw new IllegalArgumentException("no filter compiler configured for '" + expression + "'");
        }
        return KeyFilter.ALL;
    };

    KeyFilter compile(String expression);
}
