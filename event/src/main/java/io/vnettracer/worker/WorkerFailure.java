package io.vnettracer.worker;

import java.io.UncheckedIOException;

/**
 * A worker that ended by a throwable: which one ({@code role}, e.g. "the store writer"), on which
 * thread, and why.
 */
public record WorkerFailure(String role, String thread, Throwable cause) {
    /** One line for the user: "the store writer (thread vnettracer-store) failed: java.io.IOException: ...". */
    public String line() {
        return role + " (thread " + thread + ") failed: " + causeText();
    }

    /** The cause on one line; an UncheckedIOException shows the IOException it carries. */
    public String causeText() {
        Throwable shown = cause instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : cause;
        String text = String.valueOf(shown);
        if (shown != cause && cause.getMessage() != null && !cause.getMessage().equals(String.valueOf(shown.getMessage()))
                && !cause.getMessage().endsWith(String.valueOf(shown.getMessage()))) {
            text = text + " (" + cause.getMessage() + ")";
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
