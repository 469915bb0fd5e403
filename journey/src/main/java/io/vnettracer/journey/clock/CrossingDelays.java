package io.vnettracer.journey.clock;

import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.JourneyListener;
import io.vnettracer.journey.ProbeCatalog;
import java.util.Arrays;
import org.agrona.collections.Long2LongHashMap;

/**
 * The traffic estimator's measurements: for every finished journey seen on two nodes {@code a < b}
 * (node numbers of the catalog), the bounds it puts on θ = offset(b) − offset(a), kept per flow and
 * node pair.
 *
 * <p>With {@code first}/{@code last} a node's earliest/latest sighting of the journey: a packet that
 * went a → b left a before it reached b, so {@code first(b) − last(a) ≥ θ} (one-way delays are not
 * negative); one that went b → a gives {@code last(b) − first(a) ≤ θ}. Which way it went is not
 * taken from the joiner's time order — that order is only right when the clocks are already
 * aligned better than the one-way delays — but from the flow: all packets of one flow cross a node
 * pair the same way, so each flow keeps {@code minLow = min(first(b) − last(a))} and {@code maxHigh =
 * max(last(b) − first(a))}, and θ lies outside (minLow, maxHigh) for every flow.
 * {@link ClockSolver} picks the side. With one flow each way these are the minimum one-way
 * delays: θ ∈ [−min(b→a), min(a→b)] in the events' time base.
 *
 * <p>{@link #onJourney} allocates nothing except when a new (flow, node pair) appears. Runs on the
 * joiner's thread; read the results ({@link #snapshot}) after the joiner is done or on that thread.
 */
public final class CrossingDelays implements JourneyListener {
    private static final long MISSING = -1;
    private static final int NODE_BITS = 8;

    private final ProbeCatalog catalog;
    private final Long2LongHashMap entryByKey = new Long2LongHashMap(256, 0.65f, MISSING);
    private int entries;
    private int[] flowOf = new int[64];
    private int[] pairOf = new int[64];
    private long[] minLow = new long[64];
    private long[] maxHigh = new long[64];
    private long[] journeys = new long[64];

    private final long[] firstSeen;
    private final long[] lastSeen;
    private final int[] nodesSeen;
    private long crossingJourneys;

    public CrossingDelays(ProbeCatalog catalog) {
        this.catalog = catalog;
        if (catalog.capacity() > (1 << NODE_BITS)) {
            throw new IllegalArgumentException("a catalog of " + catalog.capacity() + " probes has more nodes than "
                    + (1 << NODE_BITS) + ", the most this keeps apart");
        }
        this.firstSeen = new long[catalog.capacity()];
        this.lastSeen = new long[catalog.capacity()];
        this.nodesSeen = new int[catalog.capacity()];
    }

    @Override
    public void onJourney(FinishedJourney journey) {
        int flow = journey.flowNumber();
        int hops = journey.hops();
        if (flow < 0 || hops < 2) return;
        int seen = 0;
        for (int i = 0; i < hops; i++) {
            int node = catalog.nodeNumber(journey.hopProbe(i));
            long ts = journey.hopTimestamp(i);
            int k = 0;
            while (k < seen && nodesSeen[k] != node) k++;
            if (k == seen) {
                nodesSeen[seen++] = node;
                firstSeen[node] = ts;
                lastSeen[node] = ts;
            } else {
                if (ts < firstSeen[node]) firstSeen[node] = ts;
                if (ts > lastSeen[node]) lastSeen[node] = ts;
            }
        }
        if (seen < 2) return;
        crossingJourneys++;
        for (int x = 0; x < seen; x++) {
            for (int y = 0; y < seen; y++) {
                int a = nodesSeen[x], b = nodesSeen[y];
                if (a >= b) continue;
                record(flow, a, b, firstSeen[b] - lastSeen[a], lastSeen[b] - firstSeen[a]);
            }
        }
    }

    private void record(int flow, int a, int b, long low, long high) {
        long key = ((long) flow << (2 * NODE_BITS)) | ((long) a << NODE_BITS) | b;
        int e = (int) entryByKey.get(key);
        if (e < 0) {
            e = newEntry(flow, a << NODE_BITS | b);
            entryByKey.put(key, e);
        }
        if (low < minLow[e]) minLow[e] = low;
        if (high > maxHigh[e]) maxHigh[e] = high;
        journeys[e]++;
    }

    private int newEntry(int flow, int pair) {
        if (entries == flowOf.length) {
            int n = entries * 2;
            flowOf = Arrays.copyOf(flowOf, n);
            pairOf = Arrays.copyOf(pairOf, n);
            minLow = Arrays.copyOf(minLow, n);
            maxHigh = Arrays.copyOf(maxHigh, n);
            journeys = Arrays.copyOf(journeys, n);
        }
        int e = entries++;
        flowOf[e] = flow;
        pairOf[e] = pair;
        minLow[e] = Long.MAX_VALUE;
        maxHigh[e] = Long.MIN_VALUE;
        return e;
    }

    /** Journeys seen on two nodes or more. */
    public long crossingJourneys() {
        return crossingJourneys;
    }

    /** What has been measured so far, per flow and node pair: a copy. */
    public Crossings snapshot() {
        Crossings.Entry[] out = new Crossings.Entry[entries];
        for (int e = 0; e < entries; e++) {
            out[e] = new Crossings.Entry(flowOf[e], pairOf[e] >>> NODE_BITS, pairOf[e] & ((1 << NODE_BITS) - 1),
                    minLow[e], maxHigh[e], journeys[e]);
        }
        return new Crossings(catalog.nodes(), java.util.List.of(out));
    }
}
