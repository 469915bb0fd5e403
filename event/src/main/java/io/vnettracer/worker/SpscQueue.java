package io.vnettracer.worker;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue for exactly one producer thread and one consumer thread at a time, lock-free and
 * allocation-free: how the drain thread hands buffers to a worker and gets them back. A slot holds
 * an element or null; the producer fills the slot at its index only when it is empty and the
 * consumer empties the slot at its own (release/acquire on the slot orders the element's contents).
 * Agrona's OneToOneConcurrentArrayQueue does the same, but reaches {@code jdk.internal.misc.Unsafe},
 * which JDK 25 opens only with {@code --add-exports} (without it: IllegalAccessError), a flag the
 * shaded jar and every test run would need.
 *
 * <p>The producer may change from one thread to another only with a happens-before edge between
 * them (e.g. the next producer joined the previous one); the same for the consumer.
 */
public final class SpscQueue<E> {
    private final AtomicReferenceArray<E> slots;
    /** Producer's next slot; touched by the producer only. */
    private long tail;
    /** Consumer's next slot; touched by the consumer only. */
    private long head;

    public SpscQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a queue holds at least 1 element, not " + capacity);
        }
        slots = new AtomicReferenceArray<>(capacity);
    }

    /** Producer: adds {@code element}, or returns false when the queue is full. */
    public boolean offer(E element) {
        if (element == null) {
            throw new NullPointerException("the queue holds no nulls");
        }
        int i = (int) (tail % slots.length());
        if (slots.getAcquire(i) != null) {
            return false;
        }
        slots.setRelease(i, element);
        tail++;
        return true;
    }

    /** Consumer: the oldest element, or null when the queue is empty. */
    public E poll() {
        int i = (int) (head % slots.length());
        E element = slots.getAcquire(i);
        if (element == null) {
            return null;
        }
        slots.setRelease(i, null);
        head++;
        return element;
    }

    /** Consumer: whether {@link #poll} would return null now. */
    public boolean isEmpty() {
        return slots.getAcquire((int) (head % slots.length())) == null;
    }

    public int capacity() {
        return slots.length();
    }
}
