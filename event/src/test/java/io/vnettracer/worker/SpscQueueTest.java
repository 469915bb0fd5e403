package io.vnettracer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpscQueueTest {
    @Test
    void holdsAtMostItsCapacityInOrder() {
        SpscQueue<Integer> q = new SpscQueue<>(2);
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        assertTrue(q.offer(1));
        assertFalse(q.isEmpty());
        assertTrue(q.offer(2));
        assertFalse(q.offer(3), "full");
        assertEquals(1, q.poll());
        assertTrue(q.offer(3), "wraps around");
        assertEquals(2, q.poll());
        assertEquals(3, q.poll());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void refusesNullsAndEmptyCapacities() {
        assertThrows(NullPointerException.class, () -> new SpscQueue<Integer>(1).offer(null));
        assertThrows(IllegalArgumentException.class, () -> new SpscQueue<Integer>(0));
    }

    @Test
    void twoThreadsPassEveryElementOnceInOrder() throws Exception {
        for (int capacity : new int[] {1, 3, 8}) {
            SpscQueue<Long> q = new SpscQueue<>(capacity);
            long n = capacity == 1 ? 100_000 : 1_000_000; // capacity 1 hands over one element at a time
            Thread producer = Thread.ofPlatform().start(() -> {
                for (long i = 0; i < n; ) {
                    if (q.offer(i)) {
                        i++;
                    } else {
                        Thread.yield(); // the machine's cores are shared: let the consumer run
                    }
                }
            });
            long expected = 0;
            while (expected < n) {
                Long v = q.poll();
                if (v == null) {
                    Thread.yield();
                    continue;
                }
                assertEquals(expected, v.longValue(), "capacity " + capacity);
                expected++;
            }
            producer.join();
            assertNull(q.poll());
        }
    }

    /** The pool pattern of the hand-offs: mutable buffers go one way full and come back empty; the consumer sees what the producer wrote. */
    @Test
    void buffersWrittenBeforeTheOfferAreSeenWholeAndComeBack() throws Exception {
        int buffers = 4;
        SpscQueue<long[]> free = new SpscQueue<>(buffers);
        SpscQueue<long[]> full = new SpscQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.offer(new long[64]);
        }
        long rounds = 100_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (long r = 0; r < rounds; ) {
                long[] b = free.poll();
                if (b == null) {
                    Thread.yield();
                    continue;
                }
                java.util.Arrays.fill(b, r);
                while (!full.offer(b)) {
                    Thread.yield();
                }
                r++;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (long r = 0; r < rounds; ) {
            long[] b = full.poll();
            if (b == null) {
                assertTrue(System.nanoTime() < deadline, "stalled at round " + r);
                Thread.yield();
                continue;
            }
            for (long v : b) {
                assertEquals(r, v, "a buffer seen before the producer's writes");
            }
            assertTrue(free.offer(b), "the pool holds every buffer there is");
            r++;
        }
        producer.join();
        int back = 0;
        while (free.poll() != null) {
            back++;
        }
        assertEquals(buffers, back, "every buffer came back");
    }
}
