package io.vnettracer.kafka;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded single-producer single-consumer queue that allocates nothing and never blocks: how
 * batch buffers pass between the drain thread and the sending thread. (Agrona's queues would do,
 * but need jdk.internal.misc exported on JDK 25.)
 */
final class HandOff<T> {
    private final AtomicReferenceArray<T> slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next to take
    private final AtomicLong tail = new AtomicLong(); // next to put

    HandOff(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** Adds {@code item} unless full; from the one producing thread. */
    boolean offer(T item) {
        long t = tail.get();
        if (t - head.get() > mask) return false;
        slots.lazySet((int) t & mask, item);
        tail.lazySet(t + 1);
        return true;
    }

    /** The oldest item, or null when empty; from the one consuming thread. */
    T poll() {
        long h = head.get();
        if (h == tail.get()) return null;
        int i = (int) h & mask;
        T item = slots.get(i);
        slots.lazySet(i, null);
        head.lazySet(h + 1);
        return item;
    }

    boolean isEmpty() {
        return head.get() == tail.get();
    }
}
