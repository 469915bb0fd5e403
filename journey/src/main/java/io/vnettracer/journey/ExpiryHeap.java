package io.vnettracer.journey;

import java.util.Arrays;

/**
 * A min-heap of journey slots ordered by their first sighting time, indexed so that a slot whose
 * time moves earlier (a sighting arrived out of order) is re-sifted, and one merged away is
 * removed, in O(log n). Plain arrays; allocates only when it grows.
 *
 * <p>Four children per node and each entry's time kept beside it in the heap (not looked up
 * through the slot): with 100 000 journeys open the heap is deep and the slot arrays are far
 * apart in memory, and sifting was the joiner's third-costliest step (docs/BENCHMARKS.md).
 */
final class ExpiryHeap {
    private static final int ARITY_BITS = 2;
    private static final int ARITY = 1 << ARITY_BITS;

    private int[] heap;
    private long[] keys;
    private int[] positionOf;
    private long[] time;
    private int size;

    ExpiryHeap(int capacity, long[] time) {
        heap = new int[capacity];
        keys = new long[capacity];
        positionOf = new int[capacity];
        Arrays.fill(positionOf, -1);
        this.time = time;
    }

    /** Follows the owner's slot arrays when they grow. */
    void grow(int capacity, long[] time) {
        heap = Arrays.copyOf(heap, capacity);
        keys = Arrays.copyOf(keys, capacity);
        int old = positionOf.length;
        positionOf = Arrays.copyOf(positionOf, capacity);
        Arrays.fill(positionOf, old, capacity, -1);
        this.time = time;
    }

    int size() {
        return size;
    }

    /** The slot with the earliest time; only when size() > 0. */
    int peek() {
        return heap[0];
    }

    /** The earliest slot's time, kept in the heap: reading it touches no slot. Only when size() > 0. */
    long peekTime() {
        return keys[0];
    }

    void add(int slot) {
        int i = size++;
        heap[i] = slot;
        keys[i] = time[slot];
        positionOf[slot] = i;
        siftUp(i);
    }

    /** The slot's time became earlier. */
    void decreased(int slot) {
        int i = positionOf[slot];
        keys[i] = time[slot];
        siftUp(i);
    }

    void remove(int slot) {
        int i = positionOf[slot];
        positionOf[slot] = -1;
        int lastIndex = --size;
        if (i == lastIndex) return;
        int last = heap[lastIndex];
        heap[i] = last;
        keys[i] = keys[lastIndex];
        positionOf[last] = i;
        siftDown(i);
        siftUp(positionOf[last]);
    }

    private void siftUp(int i) {
        int slot = heap[i];
        long t = keys[i];
        while (i > 0) {
            int parent = (i - 1) >>> ARITY_BITS;
            if (keys[parent] <= t) break;
            move(parent, i);
            i = parent;
        }
        place(slot, t, i);
    }

    private void siftDown(int i) {
        int slot = heap[i];
        long t = keys[i];
        while (true) {
            int first = (i << ARITY_BITS) + 1;
            if (first >= size) break;
            int end = Math.min(first + ARITY, size);
            int child = first;
            long min = keys[first];
            for (int c = first + 1; c < end; c++) {
                if (keys[c] < min) {
                    min = keys[c];
                    child = c;
                }
            }
            if (min >= t) break;
            move(child, i);
            i = child;
        }
        place(slot, t, i);
    }

    private void move(int from, int to) {
        int s = heap[from];
        heap[to] = s;
        keys[to] = keys[from];
        positionOf[s] = to;
    }

    private void place(int slot, long t, int i) {
        heap[i] = slot;
        keys[i] = t;
        positionOf[slot] = i;
    }
}
