package io.vnettracer.journey;

import io.vnettracer.event.EventView;
import java.util.ArrayList;
import java.util.List;

/**
 * Flows by 5-tuple, numbered densely in the order they were first seen. Looking up a known flow
 * allocates nothing (open addressing over the tuple's fields, compared field by field); a new
 * flow allocates its {@link FlowKey} and {@link FlowAccumulator} once.
 */
final class FlowTable {
    private final int probeCount;
    private final List<FlowKey> keys = new ArrayList<>();
    private final List<FlowAccumulator> accumulators = new ArrayList<>();
    private long[] srcHigh = new long[16], srcLow = new long[16], dstHigh = new long[16], dstLow = new long[16];
    /** family << 56 | protocol << 48 | srcPort << 16 | dstPort. */
    private long[] small = new long[16];
    /** Open-addressed: flow index + 1, 0 for empty. */
    private int[] buckets = new int[64];

    FlowTable(int probeCount) {
        this.probeCount = probeCount;
    }

    /** The flow index of the key under {@code view}, adding the flow if it is new. */
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

    int size() {
        return keys.size();
    }

    FlowKey key(int flow) {
        return keys.get(flow);
    }

    FlowAccumulator accumulator(int flow) {
        return accumulators.get(flow);
    }

    private int add(int bucket, long sh, long sl, long dh, long dl, long sm) {
        int f = keys.size();
        if (f == small.length) {
            int n = f * 2;
            srcHigh = java.util.Arrays.copyOf(srcHigh, n);
            srcLow = java.util.Arrays.copyOf(srcLow, n);
            dstHigh = java.util.Arrays.copyOf(dstHigh, n);
            dstLow = java.util.Arrays.copyOf(dstLow, n);
            small = java.util.Arrays.copyOf(small, n);
        }
        srcHigh[f] = sh; srcLow[f] = sl; dstHigh[f] = dh; dstLow[f] = dl; small[f] = sm;
        keys.add(new FlowKey((int) (sm >>> 56), (int) (sm >>> 48) & 0xff, sh, sl, (int) (sm >>> 16) & 0xffff,
                dh, dl, (int) sm & 0xffff));
        accumulators.add(new FlowAccumulator(probeCount));
        buckets[bucket] = f + 1;
        if ((f + 1) * 2 > buckets.length) {
            rehash();
        }
        return f;
    }

    private void rehash() {
        buckets = new int[buckets.length * 2];
        int mask = buckets.length - 1;
        for (int f = 0; f < keys.size(); f++) {
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
