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

    /**
     * The cause on one line. An UncheckedIOException shows the IOException it carries, followed by
     * what its own message adds ("writing the events file x").
     */
    public String causeText() {
        String text = String.valueOf(cause);
        if (cause instanceof UncheckedIOException u && u.getCause() != null) {
            String inner = String.valueOf(u.getCause().getMessage());
            String outer = String.valueOf(u.getMessage());
            String context = outer.endsWith(": " + inner) ? outer.substring(0, outer.length() - inner.length() - 2) : outer;
            text = u.getCause() + (context.isEmpty() || context.equals(inner) ? "" : " (" + context + ")");
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
