package io.vnettracer.sinks.report;

/**
 * The report's input is not as docs/REPORT.md describes it: the message names the file, the key
 * (as a path, e.g. {@code studies[0].cases[1].sockperf.p99_us}) and what was expected.
 */
public final class ReportInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReportInputException(String message) {
        super(message);
    }

    public ReportInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
