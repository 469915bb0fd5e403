package io.vnettracer.kafka;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.Identity;

/**
 * The partition of an event: its fingerprint key (never its tag) modulo the partition count. Every
 * event carries the packet's invariant fields, so every sighting of one packet has one fingerprint
 * whatever the identity mode, tagged or not: before the tag is written, after it is stripped, and
 * on the tag-inserting and tag-stripping events that link the two (docs/KAFKA.md, "Partitioning").
 */
public final class IdentityPartitioner {
    private IdentityPartitioner() {}

    /** The partition, in 0..partitions-1, of the packet under {@code event}. Allocation-free. */
    public static int partitionOf(EventView event, int partitions) {
        return partitionOfKey(Identity.fingerprintKey(event.fingerprint()), partitions);
    }

    /** The partition of a fingerprint key (already well mixed: SplitMix64 finalizer). */
    public static int partitionOfKey(long fingerprintKey, int partitions) {
        return (int) Long.remainderUnsigned(fingerprintKey, partitions);
    }
}
