package io.vnettracer.journey;

import io.vnettracer.event.EventView;
import java.util.Arrays;

/**
 * The flows the joiner keeps figures for, by 5-tuple. Looking up a known flow allocates nothing
 * (open addressing over the tuple's fields, compared field by field); a new flow allocates its
 * {@link FlowKey}, and its {@link FlowAccumulator} when its first journey is finalized: a flood of
 * flows of one packet each costs a key per packet in flight, and accumulators that die young.
 *
 * <p>Flows leave the table (their number is then reused): the joiner retires them when idle or
 * when it keeps too many (JourneyJoiner). So that it can choose, the table keeps the flows in
 * order of last activity (least recent first) and counts each flow's open journeys: a flow with an
 * open journey is never removed, since that journey will add to it.
 */
final class FlowTable {
    private static final int NONE = -1;

    private final int probeCount;
    private FlowKey[] keys = new FlowKey[16];
    private FlowAccumulator[] accumulators = new FlowAccumulator[16];
    private long[] srcHigh = new long[16], srcLow = new long[16], dstHigh = new long[16], dstLow = new long[16];
    /** family << 56 | protocol << 48 | srcPort << 16 | dstPort. */
    private long[] small = new long[16];
    /** When each flow appeared, 0, 1, 2, ... over the joiner's life: the order summaries list flows in. */
    private long[] order = new long[16];
    private int[] openJourneys = new int[16];
    private long[] lastActive = new long[16];
    /** Doubly linked by last activity: {@link #leastRecent} first. */
    private int[] newer = new int[16], older = new int[16];
    private int leastRecent = NONE, mostRecent = NONE;
    /** Open-addressed: flow number + 1, 0 for empty. */
    private int[] buckets = new int[64];
    /** Flow numbers free for reuse, and the first never used. */
    private int[] free = new int[16];
    private int freeCount;
    private int highWater;
    private int live;
    private long created;

    FlowTable(int probeCount) {
        this.probeCount = probeCount;
    }

    /** The flow number of the key under {@code view}, adding the flow if it is new. */
    int indexOf(EventView view) {
        long sh = view.srcAddrHigh(), sl = view.srcAddrLow(), dh = view.dstAddrHigh(), dl = view.dstAddrLow();
        long sm = ((long) view.family() << 56) | ((long) view.protocol() << 48) | ((long) view.srcPort() << 16) | view.dstPort();
        int mask = buckets.length - 1;
        for (int b = hash(sh, sl, dh, dl, sm) & mask; ; b = (b + 1) & mask) {
            int entry = buckets[b];
            if (entry == 0) {
                return add(b, sh, sl, dh, dl, sm);
            }
            int f = entry - 1;
            if (small[f] == sm && srcHigh[f] == sh && srcLow[f] == sl && dstHigh[f] == dh && dstLow[f] == dl) {
                return f;
            }
        }
    }

    /** Flow numbers are below this; {@link #isLive} tells which are in use. */
    int highWater() {
        return highWater;
    }

    boolean isLive(int flow) {
        return keys[flow] != null;
    }

    /** Flows in the table. */
    int live() {
        return live;
    }

    FlowKey key(int flow) {
        return keys[flow];
    }

    /** The flow's figures; null until a journey of it was finalized ({@link #accumulatorFor}). */
    FlowAccumulator accumulator(int flow) {
        return accumulators[flow];
    }

    /** The flow's figures, made for {@code probes} probes if it has none yet. */
    FlowAccumulator accumulatorFor(int flow, int probes) {
        FlowAccumulator acc = accumulators[flow];
        if (acc == null) acc = accumulators[flow] = new FlowAccumulator(Math.min(probes, probeCount));
        return acc;
    }

    long order(int flow) {
        return order[flow];
    }

    /** The flow's journeys not finalized yet. */
    int openJourneys(int flow) {
        return openJourneys[flow];
    }

    /** Flows ever added, those that left included: grows by one with each new row. */
    long created() {
        return created;
    }

    /** A journey of {@code flow} (a packet of it) appeared at event time {@code now}: the flow's last activity. */
    void hold(int flow, long now) {
        openJourneys[flow]++;
        touch(flow, now);
    }

    /**
     * A journey of {@code flow} was finalized or moved to another flow. Not activity: the flow keeps
     * its place, so that flows whose last packet is oldest come first whatever their journeys' timeout.
     */
    void release(int flow) {
        openJourneys[flow]--;
    }

    /** The least recently active flow, if idle since before {@code before} with no open journey; else -1. */
    int idleSince(long before) {
        int f = leastRecent;
        return f != NONE && lastActive[f] < before && openJourneys[f] == 0 ? f : NONE;
    }

    /**
     * Among the {@code candidates} least recently active flows, the first without an open journey;
     * -1 when they all have one.
     */
    int leastRecentRemovable(int candidates) {
        for (int f = leastRecent, n = 0; f != NONE && n < candidates; f = newer[f], n++) {
            if (openJourneys[f] == 0) return f;
        }
        return NONE;
    }

    /** Takes {@code flow} out of the table; its number may be given to a new flow. */
    void remove(int flow) {
        if (openJourneys[flow] != 0) throw new IllegalStateException("flow " + flow + " has open journeys");
        unlink(flow);
        int mask = buckets.length - 1;
        int b = hash(srcHigh[flow], srcLow[flow], dstHigh[flow], dstLow[flow], small[flow]) & mask;
        while (buckets[b] != flow + 1) b = (b + 1) & mask;
        // Backward-shift deletion keeps every other key reachable from its home bucket.
        for (int next = (b + 1) & mask; buckets[next] != 0; next = (next + 1) & mask) {
            int f = buckets[next] - 1;
            int home = hash(srcHigh[f], srcLow[f], dstHigh[f], dstLow[f], small[f]) & mask;
            if (((next - home) & mask) >= ((next - b) & mask)) {
                buckets[b] = buckets[next];
                b = next;
            }
        }
        buckets[b] = 0;
        keys[flow] = null;
        accumulators[flow] = null;
        free[freeCount++] = flow;
        live--;
    }

    private int add(int bucket, long sh, long sl, long dh, long dl, long sm) {
        int f;
        if (freeCount > 0) {
            f = free[--freeCount];
        } else {
            f = highWater++;
            if (f == small.length) grow(f * 2);
        }
        srcHigh[f] = sh; srcLow[f] = sl; dstHigh[f] = dh; dstLow[f] = dl; small[f] = sm;
        keys[f] = new FlowKey((int) (sm >>> 56), (int) (sm >>> 48) & 0xff, sh, sl, (int) (sm >>> 16) & 0xffff,
                dh, dl, (int) sm & 0xffff);
        accumulators[f] = null;
        order[f] = created++;
        openJourneys[f] = 0;
        lastActive[f] = Long.MIN_VALUE;
        newer[f] = older[f] = NONE;
        linkMostRecent(f);
        buckets[bucket] = f + 1;
        live++;
        if (live * 2 > buckets.length) rehash(buckets.length * 2);
        else if (live * 8 < buckets.length && buckets.length > 64) rehash(buckets.length / 2);
        return f;
    }

    private void touch(int flow, long now) {
        if (now > lastActive[flow]) lastActive[flow] = now;
        if (mostRecent == flow) return;
        unlink(flow);
        linkMostRecent(flow);
    }

    private void linkMostRecent(int flow) {
        older[flow] = mostRecent;
        newer[flow] = NONE;
        if (mostRecent != NONE) newer[mostRecent] = flow;
        mostRecent = flow;
        if (leastRecent == NONE) leastRecent = flow;
    }

    private void unlink(int flow) {
        int o = older[flow], n = newer[flow];
        if (o != NONE) newer[o] = n; else leastRecent = n;
        if (n != NONE) older[n] = o; else mostRecent = o;
        older[flow] = newer[flow] = NONE;
    }

    private void grow(int n) {
        keys = Arrays.copyOf(keys, n);
        accumulators = Arrays.copyOf(accumulators, n);
        srcHigh = Arrays.copyOf(srcHigh, n);
        srcLow = Arrays.copyOf(srcLow, n);
        dstHigh = Arrays.copyOf(dstHigh, n);
        dstLow = Arrays.copyOf(dstLow, n);
        small = Arrays.copyOf(small, n);
        order = Arrays.copyOf(order, n);
        openJourneys = Arrays.copyOf(openJourneys, n);
        lastActive = Arrays.copyOf(lastActive, n);
        newer = Arrays.copyOf(newer, n);
        older = Arrays.copyOf(older, n);
        free = Arrays.copyOf(free, n);
    }

    private void rehash(int size) {
        buckets = new int[size];
        int mask = size - 1;
        for (int f = 0; f < highWater; f++) {
            if (keys[f] == null) continue;
            int b = hash(srcHigh[f], srcLow[f], dstHigh[f], dstLow[f], small[f]) & mask;
            while (buckets[b] != 0) b = (b + 1) & mask;
            buckets[b] = f + 1;
        }
    }

    private static int hash(long sh, long sl, long dh, long dl, long sm) {
        long h = sm * 0x9E3779B97F4A7C15L;
        h = (h ^ sh) * 0xBF58476D1CE4E5B9L;
        h = (h ^ sl) * 0x94D049BB133111EBL;
        h = (h ^ dh) * 0x9E3779B97F4A7C15L;
        h = (h ^ dl) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
