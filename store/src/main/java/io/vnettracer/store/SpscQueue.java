package io.vnettracer.store;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue for exactly one producer thread and one consumer thread at a time, lock-free and
 * allocation-free: a slot holds an element or null, the producer fills the slot at its index only
 * when it is empty and the consumer empties the slot at its own (release/acquire on the slot
 * orders the element's contents). Agrona's OneToOneConcurrentArrayQueue does the same, but
 * reaches {@code jdk.internal.misc.Unsafe}, which JDK 25 opens only with {@code --add-exports}
 * (without it: IllegalAccessError), a flag the shaded jar and every test run would need.
 */
final class SpscQueue<E> {
    private final AtomicReferenceArray<E> slots;
    /** Producer's next slot; touched by the producer only. */
    private long tail;
    /** Consumer's next slot; touched by the consumer only. */
    private long head;

    SpscQueue(int capacity) {
        slots = new AtomicReferenceArray<>(capacity);
    }

    /** Producer: adds {@code element}, or returns false when the queue is full. */
    boolean offer(E element) {
        int i = (int) (tail % slots.length());
        if (slots.getAcquire(i) != null) {
            return false;
        }
        slots.setRelease(i, element);
        tail++;
        return true;
    }

    /** Consumer: the oldest element, or null when the queue is empty. */
    E poll() {
        int i = (int) (head % slots.length());
        E element = slots.getAcquire(i);
        if (element == null) {
            return null;
        }
        slots.setRelease(i, null);
        head++;
        return element;
    }
}
