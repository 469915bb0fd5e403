/**
 * Aggregate mode's user-space half: what the kernel added up ({@link
 * io.vnettracer.event.KernelAggregates}, read by the session from the probes' maps) turned
 * into the same {@link io.vnettracer.journey.Summary} record mode gives
 * ({@link io.vnettracer.journey.aggregate.AggregateSummaryBuilder}). docs/JOURNEYS.md, "Aggregate mode".
 */
package io.vnettracer.journey.aggregate;
