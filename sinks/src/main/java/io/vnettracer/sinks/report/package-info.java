/**
 * The demo's report: one self-contained HTML page (inline CSS, charts drawn as inline SVG on this
 * side, no script, no network) built from the files a demo run saved: its index {@code demo.json},
 * the JSON summaries and the per-message logs it points at (docs/REPORT.md). For each case study,
 * percentiles by sockperf and by the tracer side by side, latency CDFs, the per-segment
 * decomposition of the measured flow as shares and in absolute time, latency over time, and when
 * the files hold them the diagnosis and the spread over repeated runs.
 *
 * <p>Reading is strict: a missing file, a missing key, or a flow the summary does not hold is a
 * {@link io.vnettracer.sinks.report.ReportInputException} naming the file and the key. Not for
 * summaries of another contract version. Classes hold no state between reports.
 */
package io.vnettracer.sinks.report;
