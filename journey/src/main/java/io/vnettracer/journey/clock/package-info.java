/**
 * Clocks across nodes: each kernel stamps its records with its own monotonic clock, so before
 * records of several kernels are joined their timestamps are moved onto one reference clock.
 *
 * <p>What is here: {@link io.vnettracer.journey.clock.ClockOffset} (a node's clock minus the
 * reference's, ± uncertainty); {@link io.vnettracer.journey.clock.RoundTripEstimator} (Cristian's
 * estimate from request/reply exchanges); {@link io.vnettracer.journey.clock.CrossingDelays} (a
 * journey listener that keeps, per flow and node pair, the bounds that packets crossing between
 * nodes put on the offset); {@link io.vnettracer.journey.clock.ClockSolver} (turns both into one
 * offset per node, chained from the reference); {@link io.vnettracer.journey.clock.ClockCorrector}
 * (moves events onto the reference clock before the joiner).
 *
 * <p>What is not here: the exchanges themselves (the agents' RPCs) and synchronized clocks (PTP).
 * The flow — align roughly, join, measure, refine, re-join — is in docs/JOURNEYS.md, "Clocks across nodes".
 */
package io.vnettracer.journey.clock;
