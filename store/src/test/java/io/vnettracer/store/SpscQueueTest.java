package io.vnettracer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpscQueueTest {
    @Test
    void holdsAtMostItsCapacityInOrder() {
        SpscQueue<Integer> q = new SpscQueue<>(2);
        assertNull(q.poll());
        assertTrue(q.offer(1));
        assertTrue(q.offer(2));
        assertFalse(q.offer(3), "full");
        assertEquals(1, q.poll());
        assertTrue(q.offer(3), "wraps around");
        assertEquals(2, q.poll());
        assertEquals(3, q.poll());
        assertNull(q.poll());
    }

    @Test
    void twoThreadsPassEveryElementOnceInOrder() throws Exception {
        SpscQueue<Long> q = new SpscQueue<>(8);
        long n = 2_000_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (long i = 0; i < n; ) {
                if (q.offer(i)) {
                    i++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        long expected = 0;
        while (expected < n) {
            Long v = q.poll();
            if (v == null) {
                Thread.onSpinWait();
                continue;
            }
            assertEquals(expected, v.longValue());
            expected++;
        }
        producer.join();
        assertNull(q.poll());
    }
}
