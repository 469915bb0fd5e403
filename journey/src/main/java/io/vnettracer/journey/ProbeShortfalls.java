package io.vnettracer.journey;

import java.util.Arrays;

/**
 * When each probe may have missed sightings through no fault of the network: records it could not
 * write because the ring buffer was full, and packets it skipped while sampling. A journey missing
 * at a probe during such an interval is {@code unaccounted}, not {@code lost} (docs/JOURNEYS.md,
 * "Three kinds of missing"): the tracer cannot tell whether the packet passed.
 *
 * <p>Intervals are in event time (the probes' clock). The session reports them as it learns them;
 * adjacent or overlapping intervals of a probe merge, so steady ring losses stay one interval.
 * Written and read on the joiner's thread; {@link #missed} allocates nothing.
 */
public final class ProbeShortfalls {
    /** The end of an interval still open (a probe sampling now). */
    static final long OPEN = Long.MAX_VALUE;

    private final ProbeCatalog catalog;
    private long[][] starts;
    private long[][] ends;
    private int[] counts;
    /** The rate each probe samples at now (1: every packet), and the coarsest it ever sampled at. */
    private int[] sampleEvery;
    private int[] coarsestSample;
    /** Catalog indexes (below 64) that have any interval: the joiner's first, cheap test. */
    private long probesWithShortfalls;

    ProbeShortfalls(ProbeCatalog catalog) {
        this.catalog = catalog;
        int n = catalog.capacity();
        starts = new long[n][];
        ends = new long[n][];
        counts = new int[n];
        sampleEvery = new int[n];
        coarsestSample = new int[n];
        Arrays.fill(sampleEvery, 1);
        Arrays.fill(coarsestSample, 1);
    }

    /**
     * Probe {@code probeId} lost ring-buffer records stamped between {@code from} and {@code to}
     * (event time; the session brackets them by its reads of the loss counter). When the time is
     * not known, give the whole trace: {@code Long.MIN_VALUE, Long.MAX_VALUE}.
     */
    public void ringLoss(int probeId, long from, long to) {
        int index = catalog.indexOf(probeId);
        if (index >= 0) add(index, from, to);
    }

    /**
     * Probe {@code probeId} records one packet in {@code every} from {@code at} on (1: every
     * packet again). While it samples, every journey it does not see is unaccounted at it.
     */
    public void sampling(int probeId, int every, long at) {
        int index = catalog.indexOf(probeId);
        if (index < 0 || every == sampleEvery[index]) return;
        boolean wasSampling = sampleEvery[index] > 1;
        sampleEvery[index] = every;
        coarsestSample[index] = Math.max(coarsestSample[index], every);
        if (every > 1 && !wasSampling) {
            add(index, at, OPEN);
        } else if (every == 1 && wasSampling) {
            ends[index][counts[index] - 1] = at;
        }
    }

    /** The coarsest rate probe {@code index} sampled at during the trace: 1 in this many (1: never sampled). */
    public int coarsestSample(int index) {
        return index < coarsestSample.length ? coarsestSample[index] : 1;
    }

    /** True when no probe has any shortfall: the joiner's fast path. */
    boolean none() {
        return probesWithShortfalls == 0;
    }

    /** Catalog indexes below 64 with any shortfall, as bits. */
    long probeMask() {
        return probesWithShortfalls;
    }

    /** Whether probe {@code index} may have missed a sighting between {@code from} and {@code to}. */
    boolean missed(int index, long from, long to) {
        int n = counts[index];
        if (n == 0) return false;
        long[] s = starts[index], e = ends[index];
        // Intervals are disjoint and sorted: find the first that ends at or after `from`.
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (e[mid] < from) lo = mid + 1;
            else hi = mid;
        }
        return lo < n && s[lo] <= to;
    }

    private void add(int index, long from, long to) {
        if (from > to) return;
        int n = counts[index];
        if (starts[index] == null) {
            starts[index] = new long[4];
            ends[index] = new long[4];
        }
        long[] s = starts[index], e = ends[index];
        if (n > 0 && from <= e[n - 1]) {
            // Overlaps or extends the latest interval (consecutive drain passes share their bound).
            if (to > e[n - 1]) e[n - 1] = to;
            if (from < s[n - 1]) s[n - 1] = from;
            mergeBackwards(index);
            return;
        }
        if (n > 0 && from < s[n - 1]) {
            // Out of order (a time reported late): keep the list sorted and disjoint.
            insertSorted(index, from, to);
            return;
        }
        if (n == s.length) {
            starts[index] = s = Arrays.copyOf(s, n * 2);
            ends[index] = e = Arrays.copyOf(e, n * 2);
        }
        s[n] = from;
        e[n] = to;
        counts[index] = n + 1;
        if (index < Long.SIZE) probesWithShortfalls |= 1L << index;
    }

    private void insertSorted(int index, long from, long to) {
        int n = counts[index];
        long[] s = Arrays.copyOf(starts[index], n + 1), e = Arrays.copyOf(ends[index], n + 1);
        int at = 0;
        while (at < n && s[at] < from) at++;
        System.arraycopy(s, at, s, at + 1, n - at);
        System.arraycopy(e, at, e, at + 1, n - at);
        s[at] = from;
        e[at] = to;
        // Merge every overlap the insertion made.
        int w = 0;
        for (int r = 1; r <= n; r++) {
            if (s[r] <= e[w]) e[w] = Math.max(e[w], e[r]);
            else { w++; s[w] = s[r]; e[w] = e[r]; }
        }
        starts[index] = s;
        ends[index] = e;
        counts[index] = w + 1;
    }

    /** After the latest interval grew backwards, it may swallow earlier ones. */
    private void mergeBackwards(int index) {
        int n = counts[index];
        long[] s = starts[index], e = ends[index];
        while (n > 1 && s[n - 1] <= e[n - 2]) {
            s[n - 2] = Math.min(s[n - 2], s[n - 1]);
            e[n - 2] = Math.max(e[n - 2], e[n - 1]);
            n--;
        }
        counts[index] = n;
    }
}
