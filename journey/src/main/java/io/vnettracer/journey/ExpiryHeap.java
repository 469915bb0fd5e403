package io.vnettracer.journey;

import java.util.Arrays;

/**
 * A binary min-heap of journey slots ordered by their first sighting time, indexed so that a slot
 * whose time moves earlier (a sighting arrived out of order) is re-sifted, and one merged away is
 * removed, in O(log n). Plain int arrays; allocates only when it grows.
 */
final class ExpiryHeap {
    private int[] heap;
    private int[] positionOf;
    private long[] time;
    private int size;

    ExpiryHeap(int capacity, long[] time) {
        heap = new int[capacity];
        positionOf = new int[capacity];
        Arrays.fill(positionOf, -1);
        this.time = time;
    }

    /** Follows the owner's slot arrays when they grow. */
    void grow(int capacity, long[] time) {
        heap = Arrays.copyOf(heap, capacity);
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

    void add(int slot) {
        heap[size] = slot;
        positionOf[slot] = size;
        siftUp(size++);
    }

    /** The slot's time became earlier. */
    void decreased(int slot) {
        siftUp(positionOf[slot]);
    }

    void remove(int slot) {
        int i = positionOf[slot];
        positionOf[slot] = -1;
        int last = heap[--size];
        if (i == size) return;
        heap[i] = last;
        positionOf[last] = i;
        siftDown(i);
        siftUp(positionOf[last]);
    }

    private void siftUp(int i) {
        int slot = heap[i];
        long t = time[slot];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (time[p] <= t) break;
            heap[i] = p;
            positionOf[p] = i;
            i = parent;
        }
        heap[i] = slot;
        positionOf[slot] = i;
    }

    private void siftDown(int i) {
        int slot = heap[i];
        long t = time[slot];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && time[heap[child + 1]] < time[heap[child]]) child++;
            int c = heap[child];
            if (time[c] >= t) break;
            heap[i] = c;
            positionOf[c] = i;
            i = child;
        }
        heap[i] = slot;
        positionOf[slot] = i;
    }
}
