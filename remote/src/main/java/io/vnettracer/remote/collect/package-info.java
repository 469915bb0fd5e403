/**
 * The collector: splits one script over the agents it names, pushes each its part, writes every
 * agent's record batches to a durable per-node log before acknowledging them, estimates each
 * agent's clock offset, and at the end replays the logs, on one time base, into one journey joiner.
 * It attaches nothing itself.
 */
package io.vnettracer.remote.collect;
