package io.vnettracer.remote.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SpoolTest {
    private static int[] byProbe(int probe, int records) {
        int[] counts = new int[64];
        counts[probe] = records;
        return counts;
    }

    @Test
    void dropsWhatDoesNotFitCountsItByProbeAndLeavesNoGap() {
        Spool spool = new Spool(1000);
        assertEquals(1, spool.append(new byte[600], byProbe(0, 6), false));
        assertEquals(0, spool.append(new byte[600], byProbe(3, 6), false), "does not fit: dropped");
        assertEquals(6, spool.dropped(3));
        assertEquals(0, spool.dropped(0));
        spool.commit(1);
        assertEquals(2, spool.append(new byte[600], byProbe(0, 6), false), "numbered right after the last kept");
        assertEquals(2, spool.after(1).sequence());
        assertNull(spool.after(2));
    }

    @Test
    void keepsTheLastBatchEvenWhenFull() {
        Spool spool = new Spool(700);
        spool.append(new byte[600], byProbe(0, 6), false);
        assertEquals(2, spool.append(new byte[0], new int[64], true));
        assertEquals(2, spool.lastSequence());
    }

    @Test
    void resendsFromWhatTheCollectorCommitted() {
        Spool spool = new Spool(1 << 20);
        for (int i = 0; i < 5; i++) {
            spool.append(new byte[104], byProbe(0, 1), false);
        }
        spool.commit(3);
        assertEquals(4, spool.after(spool.committed()).sequence());
        assertEquals(2 * (104 + 64), spool.bytes());
    }
}
