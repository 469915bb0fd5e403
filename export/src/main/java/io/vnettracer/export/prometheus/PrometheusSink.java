package io.vnettracer.export.prometheus;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.TraceSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Serves a trace's metrics at {@code http://HOST:PORT/metrics} in the Prometheus text format while
 * the trace runs: flows, segments, probes, drops and the joiner's counters (docs/EXPORTS.md). The
 * figures are those of the latest summary the trace hands over (about once a second, so a scrape
 * lags traffic by the joiner's timeout plus up to a second). The server starts in {@link #start}, before any probe is attached, so a busy
 * port costs no attach; it stops in {@link #close}, so the final figures are there between
 * {@link #finish} and the end of the process only.
 *
 * <p>Nothing here depends on how the trace is run: the trace command and an agent open it the same way.
 */
public final class PrometheusSink implements TraceSink {
    private final ListenAddress address;
    private final TraceMetrics metrics;
    private final HTTPServer server;
    private final PrometheusRegistry registry;

    private PrometheusSink(ListenAddress address, TraceMetrics metrics, HTTPServer server, PrometheusRegistry registry) {
        this.registry = registry;
        this.address = address;
        this.metrics = metrics;
        this.server = server;
    }

    /**
     * Starts serving. A port in use or a host that is not a local address is an
     * {@link UncheckedIOException} that says so and what to do.
     */
    public static PrometheusSink start(ListenAddress address, ProbeCatalog catalog) {
        TraceMetrics metrics = new TraceMetrics();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        InetAddress host;
        try {
            host = InetAddress.getByName(address.host());
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("cannot serve Prometheus metrics on " + address + ": unknown host '"
                    + address.host() + "'", e);
        }
        try {
            HTTPServer server = HTTPServer.builder().inetAddress(host).port(address.port()).registry(registry).buildAndStart();
            return new PrometheusSink(new ListenAddress(address.host(), server.getPort()), metrics, server, registry);
        } catch (BindException e) {
            throw new UncheckedIOException("cannot serve Prometheus metrics on " + address + ": " + e.getMessage()
                    + " (another process has the port, or the host is not an address of this machine; choose another"
                    + " [HOST:]PORT)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve Prometheus metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens; the port is the bound one when 0 was asked for. */
    public ListenAddress address() {
        return address;
    }

    /** Where the undecodable-record count comes from (the trace session, once started). */
    public void countUndecodableFrom(LongSupplier undecodableEvents) {
        metrics.undecodableFrom(undecodableEvents);
    }

    /**
     * Adds a gauge read at each scrape from {@code value}: figures of whatever runs the trace (an
     * agent's stream and spool), not of the summary. {@code name} must be a valid metric name not
     * used by the trace's metrics (docs/EXPORTS.md); the value is read on the HTTP server's thread.
     */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    @Override
    public void onSummary(Summary summary) {
        metrics.update(summary, false);
    }

    @Override
    public void finish(Summary summary) {
        metrics.update(summary, true);
    }

    @Override
    public String describe() {
        return "prometheus http://" + address + "/metrics";
    }

    @Override
    public void close() {
        server.close();
    }
}
