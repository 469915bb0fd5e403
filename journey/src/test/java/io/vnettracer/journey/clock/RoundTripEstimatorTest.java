package io.vnettracer.journey.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RoundTripEstimatorTest {
    static final long OFFSET = 3_700_000; // the node's clock is 3.7 ms ahead

    @Test
    void aSymmetricExchangeGivesTheOffsetExactly() {
        RoundTripEstimator e = new RoundTripEstimator();
        // request leaves at 1000, reaches the node 50 ns later, the answer takes 50 ns back
        e.add(1_000, 1_050 + OFFSET, 1_100);
        assertEquals(new ClockOffset(OFFSET, 50), e.estimate());
    }

    @Test
    void theShortestRoundTripWinsAndTheTruthIsWithinItsHalf() {
        RoundTripEstimator e = new RoundTripEstimator();
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            long sent = 1_000_000L * i;
            long there = 20_000 + r.nextLong(200_000); // asymmetric: up to 220 us out, up to 30 us back
            long back = 5_000 + r.nextLong(25_000);
            e.add(sent, sent + there + OFFSET, sent + there + back);
        }
        ClockOffset o = e.estimate();
        assertTrue(o.allows(OFFSET), o + " must allow " + OFFSET);
        assertEquals((e.bestRoundTrip() + 1) / 2, o.uncertaintyNanos());
        assertTrue(e.bestRoundTrip() < 60_000, "kept the shortest of 1000: " + e.bestRoundTrip());
        assertEquals(1000, e.samples());
    }

    @Test
    void anOddRoundTripStillCoversBothEnds() {
        RoundTripEstimator e = new RoundTripEstimator();
        e.add(0, 0 + OFFSET, 101); // the reading may have been taken at 0 or at 101
        ClockOffset o = e.estimate();
        assertTrue(o.allows(OFFSET) && o.allows(OFFSET - 101), o.toString());
    }

    @Test
    void aReplyBeforeItsRequestIsRefusedAndCounted() {
        RoundTripEstimator e = new RoundTripEstimator();
        e.add(500, 7, 400);
        assertFalse(e.hasEstimate());
        assertEquals(1, e.refused());
        assertThrows(IllegalStateException.class, e::estimate);
    }
}
