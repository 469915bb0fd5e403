/**
 * Trace sinks that feed standard monitoring systems: {@link io.vnettracer.export.prometheus} serves
 * flow, segment, probe and tracer metrics for Prometheus to scrape; {@link io.vnettracer.export.otlp}
 * sends journeys as OpenTelemetry traces. Both are plain {@link io.vnettracer.sinks.TraceSink}s, so
 * anything that runs a trace session (the trace command, an agent) exposes the same data by opening
 * them. Not here: the JSON summary, the events file and reports (module sinks), stores.
 */
package io.vnettracer.export;
