package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ExpiryHeapTest {
    @Test
    void peekIsAlwaysTheEarliestSlotUnderRandomAddsDecreasesAndRemoves() {
        int capacity = 4096;
        long[] time = new long[capacity];
        ExpiryHeap heap = new ExpiryHeap(capacity, time);
        Comparator<Integer> byTime = Comparator.<Integer>comparingLong(s -> time[s]).thenComparingInt(s -> s);
        TreeSet<Integer> model = new TreeSet<>(byTime);
        List<Integer> free = new ArrayList<>();
        for (int s = capacity - 1; s >= 0; s--) free.add(s);
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 4 && !free.isEmpty()) {
                int slot = free.removeLast();
                time[slot] = random.nextLong(1_000_000);
                heap.add(slot);
                model.add(slot);
            } else if (op < 6 && !model.isEmpty()) {
                int slot = pick(model, random);
                model.remove(slot);
                time[slot] -= random.nextLong(1_000);
                heap.decreased(slot);
                model.add(slot);
            } else if (op < 8 && !model.isEmpty()) {
                int slot = pick(model, random);
                model.remove(slot);
                heap.remove(slot);
                free.add(slot);
            } else if (!model.isEmpty()) {
                int slot = heap.peek();
                assertEquals(time[model.first()], time[slot], "step " + step);
                model.remove(slot);
                heap.remove(slot);
                free.add(slot);
            }
            assertEquals(model.size(), heap.size());
        }
    }

    private static int pick(TreeSet<Integer> model, SplittableRandom random) {
        int skip = random.nextInt(model.size());
        for (int s : model) {
            if (skip-- == 0) return s;
        }
        throw new AssertionError();
    }
}
