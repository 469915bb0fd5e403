package io.vnettracer.journey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything one flow's finalized journeys add up to, kept so that the flow's path can be decided
 * at summary time (it is learned from the journeys themselves) and every figure still computed
 * exactly: per probe sightings, bytes and times; per ordered probe pair delays; journey shapes;
 * where journeys ended and why. {@link #record} allocates nothing once the flow's pairs, shapes and
 * kinds of end have been seen.
 */
final class FlowAccumulator {
    static final int MAX_SHAPES = 16;
    static final int INITIAL_ENDS = 2;
    static final int MAX_ENDS = 1024;

    /**
     * Probes the per-probe arrays hold: the catalog's size when the flow appeared, grown when a probe
     * added later sees it. A flow costs little until it has sent more than one packet (issue: a flood
     * of one-datagram flows).
     */
    private int probeCount;
    /** Journeys seen at each probe (duplicates count once). */
    long[] seen;
    /** IP bytes at each probe, one sighting per journey. */
    long[] bytes;
    long[] firstSeen;
    long[] lastSeen;
    /** Sum over journeys of (time at this probe - time of the journey's first sighting): orders the path. */
    long[] offsetSum;
    /** pairs[from * probeCount + to], from seen before to; null until such a journey is seen. */
    private PairStats[] pairs;
    JourneyShape[] shapes = new JourneyShape[1];
    int shapeCount;
    /**
     * Where journeys ended, one row per distinct (probes that saw it, end probe, drop probe, drop
     * reason, {@link JourneyEnd} marks, probes that had a shortfall while it travelled) with its
     * count: enough to classify every missing sighting once the path is known (SummaryBuilder).
     * The end is the furthest probe that saw it (-1: none did); drop probe and reason -1 when none.
     */
    long[] endSeen = new long[INITIAL_ENDS];
    int[] endProbe = new int[INITIAL_ENDS];
    int[] endDropProbe = new int[INITIAL_ENDS];
    int[] endReason = new int[INITIAL_ENDS];
    int[] endMarks = new int[INITIAL_ENDS];
    long[] endShortfalls = new long[INITIAL_ENDS];
    long[] endCount = new long[INITIAL_ENDS];
    int ends;
    /** Journeys with a retransmitted segment. */
    long retransmits;
    /** The longest time from a journey's first sighting to its last: how long the flow's packets travel. */
    long maxSpan;
    /** Catalog indexes (below 64) that saw any of the flow's journeys: its path so far. */
    long pathMask;
    long journeys;
    long singletons;

    /** @param probeCount the catalog's size now (at least 1) */
    FlowAccumulator(int probeCount) {
        this.probeCount = Math.max(1, probeCount);
        seen = new long[this.probeCount];
        bytes = new long[this.probeCount];
        firstSeen = new long[this.probeCount];
        lastSeen = new long[this.probeCount];
        offsetSum = new long[this.probeCount];
        pairs = new PairStats[this.probeCount * this.probeCount];
        java.util.Arrays.fill(firstSeen, Long.MAX_VALUE);
        java.util.Arrays.fill(lastSeen, Long.MIN_VALUE);
    }

    /** Catalog indexes below this may have figures. */
    int probes() {
        return probeCount;
    }

    /** Makes room for catalog index {@code probe} (a probe added after the flow appeared). */
    private void fit(int probe) {
        if (probe < probeCount) return;
        int old = probeCount, n = Math.max(probe + 1, old * 2);
        seen = java.util.Arrays.copyOf(seen, n);
        bytes = java.util.Arrays.copyOf(bytes, n);
        offsetSum = java.util.Arrays.copyOf(offsetSum, n);
        firstSeen = java.util.Arrays.copyOf(firstSeen, n);
        lastSeen = java.util.Arrays.copyOf(lastSeen, n);
        java.util.Arrays.fill(firstSeen, old, n, Long.MAX_VALUE);
        java.util.Arrays.fill(lastSeen, old, n, Long.MIN_VALUE);
        PairStats[] grown = new PairStats[n * n];
        for (int from = 0; from < old; from++) {
            System.arraycopy(pairs, from * old, grown, from * n, old);
        }
        pairs = grown;
        probeCount = n;
    }

    /**
     * Adds one finalized journey: {@code length} sightings at {@code base} in the hop arrays,
     * sorted by time, and the first drop reported for it.
     */
    void record(int[] hopProbe, long[] hopTs, int[] hopBytes, int base, int length,
                int endProbe, int dropProbe, int dropReason, JourneyEnd end, JoinCounters counters) {
        journeys++;
        if (length == 1) singletons++;
        if ((end.marks & JourneyEnd.RETRANSMIT) != 0) retransmits++;
        if (length > 0) maxSpan = Math.max(maxSpan, hopTs[base + length - 1] - hopTs[base]);
        pathMask |= end.seen;
        long start = length > 0 ? hopTs[base] : 0;
        for (int i = 0; i < length; i++) fit(hopProbe[base + i]);
        for (int i = 0; i < length; i++) {
            int p = hopProbe[base + i];
            long t = hopTs[base + i];
            seen[p]++;
            bytes[p] += hopBytes[base + i];
            if (t < firstSeen[p]) firstSeen[p] = t;
            if (t > lastSeen[p]) lastSeen[p] = t;
            offsetSum[p] += t - start;
            for (int j = i + 1; j < length; j++) {
                // Percentiles are read for path segments (consecutive sightings) and end to end
                // (first to last) only: the other pairs keep exact counts, sums and extremes but
                // skip the histogram, the joiner's costliest step (docs/BENCHMARKS.md, analysis).
                boolean distribution = j == i + 1 || (i == 0 && j == length - 1);
                pair(p, hopProbe[base + j]).record(hopTs[base + j] - t, distribution);
            }
        }
        if (length > 0) recordShape(hopProbe, hopTs, base, length, counters);
        recordEnd(endProbe, dropProbe, dropReason, end, counters);
    }

    private PairStats pair(int from, int to) {
        int i = from * probeCount + to;
        PairStats s = pairs[i];
        if (s == null) {
            s = pairs[i] = new PairStats();
        }
        return s;
    }

    PairStats pairOrNull(int from, int to) {
        return from < probeCount && to < probeCount ? pairs[from * probeCount + to] : null;
    }

    /** Journeys seen at both probes, whichever saw them first. */
    long seenAtBoth(int a, int b) {
        PairStats ab = pairOrNull(a, b), ba = pairOrNull(b, a);
        return (ab == null ? 0 : ab.count) + (ba == null ? 0 : ba.count);
    }

    private void recordShape(int[] hopProbe, long[] hopTs, int base, int length, JoinCounters counters) {
        for (int s = 0; s < shapeCount; s++) {
            if (shapes[s].matches(hopProbe, base, length)) {
                shapes[s].record(hopTs, base, length);
                return;
            }
        }
        if (shapeCount == MAX_SHAPES) {
            counters.shapesUntracked++;
            return;
        }
        if (shapeCount == shapes.length) shapes = java.util.Arrays.copyOf(shapes, Math.min(MAX_SHAPES, shapeCount * 2));
        JourneyShape shape = shapes[shapeCount++] = new JourneyShape(hopProbe, base, length);
        shape.record(hopTs, base, length);
    }

    private void recordEnd(int lastProbe, int dropProbe, int reason, JourneyEnd end, JoinCounters counters) {
        for (int e = 0; e < ends; e++) {
            if (endProbe[e] == lastProbe && endDropProbe[e] == dropProbe && endReason[e] == reason
                    && endSeen[e] == end.seen && endMarks[e] == (end.marks & JourneyEnd.CLASSIFYING) && endShortfalls[e] == end.shortfalls) {
                endCount[e]++;
                return;
            }
        }
        if (ends == endCount.length) {
            if (ends == MAX_ENDS) {
                counters.endsUntracked++;
                return;
            }
            growEnds(ends * 2);
        }
        endSeen[ends] = end.seen;
        endProbe[ends] = lastProbe;
        endDropProbe[ends] = dropProbe;
        endReason[ends] = reason;
        endMarks[ends] = end.marks & JourneyEnd.CLASSIFYING;
        endShortfalls[ends] = end.shortfalls;
        endCount[ends] = 1;
        ends++;
    }

    private void growEnds(int n) {
        endSeen = java.util.Arrays.copyOf(endSeen, n);
        endProbe = java.util.Arrays.copyOf(endProbe, n);
        endDropProbe = java.util.Arrays.copyOf(endDropProbe, n);
        endReason = java.util.Arrays.copyOf(endReason, n);
        endMarks = java.util.Arrays.copyOf(endMarks, n);
        endShortfalls = java.util.Arrays.copyOf(endShortfalls, n);
        endCount = java.util.Arrays.copyOf(endCount, n);
    }

    /**
     * The flow's path: every non-drop probe that saw any of its journeys (the union), ordered by the
     * catalog's positions when all of them have one, else by their mean offset from the start of the
     * journeys they saw; ties go to the lower probe index.
     */
    int[] path(ProbeCatalog catalog) {
        List<Integer> probes = new ArrayList<>();
        boolean allPositioned = true;
        for (int p = 0; p < probeCount; p++) {
            if (seen[p] > 0 && !catalog.get(p).dropProbe()) {
                probes.add(p);
                allPositioned &= catalog.get(p).hasPosition();
            }
        }
        Comparator<Integer> order = allPositioned
                ? Comparator.comparingInt(p -> catalog.get(p).position())
                : Comparator.comparingDouble(p -> (double) offsetSum[p] / seen[p]);
        probes.sort(order.thenComparingInt(p -> p));
        return probes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The shape that crossed exactly {@code path}, or null when no journey did. */
    JourneyShape completeShape(int[] path) {
        for (int s = 0; s < shapeCount; s++) {
            if (shapes[s].sameProbes(path)) return shapes[s];
        }
        return null;
    }
}
