package io.vnettracer.journey;

/**
 * What the joiner knows of a journey as it finalizes it, beyond its sightings, to tell later why a
 * sighting is missing (docs/JOURNEYS.md, "Three kinds of missing"). One scratch instance per
 * joiner, refilled for every journey: nothing is allocated.
 */
final class JourneyEnd {
    /** An event of the journey carried {@code EventLayout.FLAG_RETRANSMIT}. */
    static final int RETRANSMIT = 1;
    /** A TCP segment without payload (SYN, pure ACK, FIN): never expected at a socket probe. */
    static final int NO_PAYLOAD = 2;
    /** Finalized at the end of the trace while it could still have been travelling. */
    static final int IN_FLIGHT = 4;
    /**
     * Finalized before its timeout because {@link JoinerConfig#maxJourneys()} journeys were open: a
     * sighting it lacks may have come after; missing sightings are unaccounted, not lost.
     */
    static final int CUT_SHORT = 8;
    /** The marks that decide how a missing sighting is classified (the others are counted apart). */
    static final int CLASSIFYING = NO_PAYLOAD | IN_FLIGHT | CUT_SHORT;

    /** Catalog indexes (below 64) that saw the journey, as bits. */
    long seen;
    int marks;
    /** Catalog indexes (below 64) on the flow's path, not seen, that had a shortfall while the journey travelled. */
    long shortfalls;

    /** The bit of catalog index {@code index} in a probe mask; probes past the 64th have none. */
    static long bit(int index) {
        return index < Long.SIZE ? 1L << index : 0;
    }
}
