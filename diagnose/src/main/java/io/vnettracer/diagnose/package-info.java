/**
 * The kernel's evidence for the diagnosis, collected while a trace runs: the root qdisc behind
 * every egress device probe ({@link io.vnettracer.diagnose.QdiscSampler}), the run-queue waits of
 * the namespace behind every socket receive probe ({@link io.vnettracer.diagnose.RunQueueWaits}).
 * {@link io.vnettracer.diagnose.EvidenceCollector} decides which from the script; journey's
 * Diagnoser reads what it returns (docs/DIAGNOSE.md).
 */
package io.vnettracer.diagnose;
