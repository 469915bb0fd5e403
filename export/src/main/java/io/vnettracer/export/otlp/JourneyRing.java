package io.vnettracer.export.otlp;

import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.FlowKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer queue of copied journeys with all its memory allocated
 * up front: the drain thread copies a journey into a free slot without allocating or blocking, and
 * when every slot is taken the journey is counted as dropped instead. The exporter thread reads
 * slots between {@link #head()} and {@link #tail()} and then releases them with {@link #release}.
 */
final class JourneyRing {
    private final int capacity;
    private final int maxHops;
    final long[] sequence;
    final long[] identity;
    final FlowKey[] flow;
    final int[] hops;
    final int[] dropProbe;
    final int[] dropReason;
    final int[] hopProbe;
    final long[] hopTs;
    final int[] hopBytes;
    /** Journeys that had more sightings than a slot holds; their last sightings are cut off. */
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    JourneyRing(int capacity, int maxHops) {
        if (capacity < 1) throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        this.capacity = capacity;
        this.maxHops = maxHops;
        sequence = new long[capacity];
        identity = new long[capacity];
        flow = new FlowKey[capacity];
        hops = new int[capacity];
        dropProbe = new int[capacity];
        dropReason = new int[capacity];
        hopProbe = new int[capacity * maxHops];
        hopTs = new long[capacity * maxHops];
        hopBytes = new int[capacity * maxHops];
    }

    /** Producer side: copies the journey, or counts it dropped when the queue is full. */
    boolean offer(FinishedJourney journey) {
        long t = tail.get();
        if (t - head.getAcquire() >= capacity) {
            dropped.incrementAndGet();
            return false;
        }
        int slot = (int) (t % capacity);
        int n = journey.hops();
        if (n > maxHops) {
            truncated.incrementAndGet();
            n = maxHops;
        }
        sequence[slot] = journey.sequence();
        identity[slot] = journey.identityKey();
        flow[slot] = journey.flow();
        hops[slot] = n;
        dropProbe[slot] = journey.dropProbe();
        dropReason[slot] = journey.dropReason();
        int base = slot * maxHops;
        for (int i = 0; i < n; i++) {
            hopProbe[base + i] = journey.hopProbe(i);
            hopTs[base + i] = journey.hopTimestamp(i);
            hopBytes[base + i] = journey.hopBytes(i);
        }
        tail.setRelease(t + 1);
        return true;
    }

    long head() {
        return head.get();
    }

    long tail() {
        return tail.getAcquire();
    }

    int slot(long position) {
        return (int) (position % capacity);
    }

    int base(int slot) {
        return slot * maxHops;
    }

    /** Consumer side: every slot before {@code position} may be reused. */
    void release(long position) {
        head.setRelease(position);
    }

    long dropped() {
        return dropped.get();
    }

    long truncated() {
        return truncated.get();
    }
}
