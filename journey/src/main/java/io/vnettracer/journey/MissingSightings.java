package io.vnettracer.journey;

/**
 * Why journeys of one flow were not seen where its path says they should have been, decided once
 * the path is known from the kinds of end its accumulator kept (docs/JOURNEYS.md, "Three kinds of
 * missing"):
 *
 * <ul>
 *   <li>{@link #DELIVERED}: no probe it was expected at missed it (a TCP segment without payload
 *       is never expected at a socket probe);
 *   <li>{@link #IN_FLIGHT}: it could still have been travelling when the trace ended;
 *   <li>{@link #UNACCOUNTED}: every expected probe after its last sighting had a shortfall (lost
 *       records, sampling) while it travelled: it may have passed them all unseen; or the joiner
 *       finalized it early, holding its most journeys ({@link JourneyEnd#CUT_SHORT});
 *   <li>{@link #LOST}: a drop was seen, or a probe without a shortfall missed it: it vanished.
 * </ul>
 *
 * A drop seen decides before anything else: the kernel said the packet was freed.
 */
final class MissingSightings {
    static final int DELIVERED = 0;
    static final int LOST = 1;
    static final int UNACCOUNTED = 2;
    static final int IN_FLIGHT = 3;
    /** For a segment: the probe at its end never expected the journey (no payload, socket probe). */
    static final int NOT_EXPECTED = 4;
    /** enum skb_drop_reason, include/net/dropreason-core.h: a drop the kernel gave no reason for. */
    static final int SKB_DROP_REASON_NOT_SPECIFIED = 2;

    private final ProbeCatalog catalog;
    private final FlowAccumulator acc;
    private final int[] path;
    /** Place on the path by catalog index, -1 off the path. */
    private final int[] place;

    MissingSightings(ProbeCatalog catalog, FlowAccumulator acc, int[] path) {
        this.catalog = catalog;
        this.acc = acc;
        this.path = path;
        this.place = new int[catalog.size()];
        java.util.Arrays.fill(place, -1);
        for (int i = 0; i < path.length; i++) place[path[i]] = i;
    }

    /** The furthest place on the path of a journey of row {@code e}, -1 when no path probe saw it. */
    int endPlace(int e) {
        int end = acc.endProbe[e] >= 0 && acc.endProbe[e] < place.length ? place[acc.endProbe[e]] : -1;
        long seen = acc.endSeen[e];
        while (seen != 0) {
            int p = Long.numberOfTrailingZeros(seen);
            seen &= seen - 1;
            if (p < place.length) end = Math.max(end, place[p]);
        }
        return end;
    }

    /**
     * Whether journeys of row {@code e} were seen at path place {@code i}. Past the 64th probe the
     * row keeps no bit: such a probe counts as seen when it lies before the journey's end.
     */
    boolean seenAt(int e, int i) {
        int p = path[i];
        return p < Long.SIZE ? (acc.endSeen[e] & 1L << p) != 0 : i <= endPlace(e);
    }

    /** How journeys of row {@code e} stand at the path's end. */
    int atEnd(int e) {
        int endPlace = endPlace(e);
        if (endPlace < 0) return LOST;
        boolean missedUnexcused = false;
        boolean missedAny = false;
        for (int i = endPlace + 1; i < path.length; i++) {
            if (!expected(e, path[i])) continue;
            missedAny = true;
            if (!shortfallAt(e, path[i])) missedUnexcused = true;
        }
        if (!missedAny) return DELIVERED;
        return classify(e, missedUnexcused);
    }

    /** How journeys of row {@code e}, seen at place {@code i}, stand at place {@code i + 1}. */
    int atSegmentEnd(int e, int i) {
        int to = path[i + 1];
        if (seenAt(e, i + 1)) return DELIVERED;
        if (!expected(e, to)) return NOT_EXPECTED;
        // Seen further on: the packet passed; only the probe at `to` failed to record it.
        if (endPlace(e) > i + 1) return UNACCOUNTED;
        return classify(e, !shortfallAt(e, to));
    }

    private int classify(int e, boolean missedWithoutShortfall) {
        if (acc.endDropProbe[e] >= 0) return LOST;
        if ((acc.endMarks[e] & JourneyEnd.IN_FLIGHT) != 0) return IN_FLIGHT;
        if ((acc.endMarks[e] & JourneyEnd.CUT_SHORT) != 0) return UNACCOUNTED;
        return missedWithoutShortfall ? LOST : UNACCOUNTED;
    }

    /**
     * A TCP segment without payload is not expected at a socket probe, unless the kernel reported
     * it dropped with a reason: then it did not reach its socket (one that did, a SYN or FIN, is
     * recorded there as it arrives; a pure ACK that TCP processed is freed without a drop), so its
     * absence there is a loss. Not with {@link #SKB_DROP_REASON_NOT_SPECIFIED}: TCP frees control
     * segments it has processed that way too (a FIN reaching a TIME_WAIT socket, which answers it and
     * discards it in tcp_v4_rcv), so that reason proves no loss.
     */
    private boolean expected(int e, int probe) {
        return (acc.endMarks[e] & JourneyEnd.NO_PAYLOAD) == 0 || droppedWithAReason(e)
                || !catalog.get(probe).socketProbe();
    }

    private boolean droppedWithAReason(int e) {
        return acc.endDropProbe[e] >= 0 && acc.endReason[e] != SKB_DROP_REASON_NOT_SPECIFIED;
    }

    private boolean shortfallAt(int e, int probe) {
        return (acc.endShortfalls[e] & JourneyEnd.bit(probe)) != 0;
    }
}
