/**
 * The diagnosis: which segment of a flow's path dominates its latency or its loss, and the likely
 * cause with the kernel's evidence (docs/DIAGNOSE.md). Pure: {@link
 * io.vnettracer.journey.diagnosis.Diagnoser} reads a {@link io.vnettracer.journey.Summary} and the
 * {@link io.vnettracer.journey.diagnosis.Evidence} the session collected.
 */
package io.vnettracer.journey.diagnosis;
