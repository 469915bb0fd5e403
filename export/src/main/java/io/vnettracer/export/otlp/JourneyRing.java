package io.vnettracer.export.otlp;

import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.FlowKey;
import io.vnettracer.worker.SpscQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copied journeys on their way from the drain thread to the exporter thread, with all memory
 * allocated up front: a fixed pool of {@link Slot}s passed through two {@link SpscQueue}s. The
 * drain thread copies a journey into a free slot without allocating or blocking, and when every
 * slot is taken the journey is counted as dropped instead. The exporter {@link #poll}s queued slots
 * and gives each back with {@link #release} once its spans are built.
 */
final class JourneyRing {
    /** One journey's copy; its sightings start at index 0. */
    static final class Slot {
        long sequence;
        long identity;
        FlowKey flow;
        int hops;
        int dropProbe;
        int dropReason;
        final int[] hopProbe;
        final long[] hopTs;
        final int[] hopBytes;

        Slot(int maxHops) {
            hopProbe = new int[maxHops];
            hopTs = new long[maxHops];
            hopBytes = new int[maxHops];
        }
    }

    private final int maxHops;
    private final SpscQueue<Slot> free;
    private final SpscQueue<Slot> queued;
    /** Journeys that had more sightings than a slot holds; their last sightings are cut off. */
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Journeys queued and journeys taken: their difference is what waits (or was never sent). */
    private volatile long offered;
    private volatile long taken;

    JourneyRing(int capacity, int maxHops) {
        if (capacity < 1) throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        this.maxHops = maxHops;
        free = new SpscQueue<>(capacity);
        queued = new SpscQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            free.offer(new Slot(maxHops));
        }
    }

    /** Producer side: copies the journey, or counts it dropped when the queue is full. */
    boolean offer(FinishedJourney journey) {
        Slot slot = free.poll();
        if (slot == null) {
            dropped.incrementAndGet();
            return false;
        }
        int n = journey.hops();
        if (n > maxHops) {
            truncated.incrementAndGet();
            n = maxHops;
        }
        slot.sequence = journey.sequence();
        slot.identity = journey.identityKey();
        slot.flow = journey.flow();
        slot.hops = n;
        slot.dropProbe = journey.dropProbe();
        slot.dropReason = journey.dropReason();
        for (int i = 0; i < n; i++) {
            slot.hopProbe[i] = journey.hopProbe(i);
            slot.hopTs[i] = journey.hopTimestamp(i);
            slot.hopBytes[i] = journey.hopBytes(i);
        }
        queued.offer(slot); // the pool's size bounds both queues: this cannot fail
        offered++; // single writer
        return true;
    }

    /** Consumer side: the oldest queued journey, or null. */
    Slot poll() {
        Slot slot = queued.poll();
        if (slot != null) {
            taken++; // single writer
        }
        return slot;
    }

    /** Consumer side: {@code slot} may be reused. */
    void release(Slot slot) {
        free.offer(slot);
    }

    /** Journeys queued and not yet taken by the exporter. */
    long waiting() {
        return offered - taken;
    }

    long dropped() {
        return dropped.get();
    }

    long truncated() {
        return truncated.get();
    }
}
