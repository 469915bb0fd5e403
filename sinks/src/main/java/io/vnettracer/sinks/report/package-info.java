/**
 * The demo's report: one self-contained HTML page (inline CSS, charts drawn as inline SVG on this
 * side, no script, no network) built from the files a demo run saved: its index {@code demo.json}
 * and the JSON summaries it points at (docs/REPORT.md). For each case study, percentiles by
 * sockperf and by the tracer side by side, and the per-segment decomposition of the measured
 * flow, each chart with its table.
 *
 * <p>Reading is strict: a missing file, a missing key, or a flow the summary does not hold is a
 * {@link io.vnettracer.sinks.report.ReportInputException} naming the file and the key. Not for
 * summaries of another contract version. Classes hold no state between reports.
 */
package io.vnettracer.sinks.report;
