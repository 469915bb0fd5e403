/**
 * Prometheus exposition of a running trace: {@link io.vnettracer.export.prometheus.PrometheusSink}
 * serves /metrics over HTTP with the official Java client, built at each scrape from the latest
 * summary. Metric names and labels are listed in docs/EXPORTS.md. Not a push gateway client, and it
 * keeps no history: Prometheus does.
 */
package io.vnettracer.export.prometheus;
