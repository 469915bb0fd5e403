/**
 * Journeys: the events a session decodes, joined by packet identity (a tag, or a fingerprint linked
 * to it) into the path each packet took, and added up per flow into sent, received, lost, latency,
 * jitter and throughput, and per segment between consecutive probes into the decomposition of
 * latency and loss. Rules and definitions: docs/JOURNEYS.md.
 *
 * <p>Pure Java, no kernel: tested with generated events. {@link io.vnettracer.journey.JourneyJoiner}
 * is single-threaded and allocation-free per event in steady state; {@link io.vnettracer.journey.Summary}
 * and the catalog are immutable values once built, safe to share.
 */
package io.vnettracer.journey;
