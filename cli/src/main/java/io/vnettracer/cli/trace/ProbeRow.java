package io.vnettracer.cli.trace;

/** One line of the probes table: events decoded from the probe, events lost in its ring. */
public record ProbeRow(String name, String spec, long events, long ringLost) {}
