package io.vnettracer.journey;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import java.util.Arrays;
import java.util.function.IntToLongFunction;
import org.agrona.collections.Long2LongHashMap;

/**
 * Joins events into journeys by packet identity and adds finished journeys to their flow's
 * figures. See docs/JOURNEYS.md for the rules (identity and linking, the timeout, loss attribution).
 *
 * <p>Hot path: {@link #onEvent} allocates nothing in steady state. Journeys live in a pool of slots
 * ({@code maxHops} sightings each); identity keys map to slots in a primitive hash map; an indexed
 * heap orders the slots by first sighting so that they are finalized in send order once the newest
 * event time passes their first sighting plus the timeout. Allocation happens only when the pool
 * grows, a new flow appears, or a flow shows a new probe pair or shape.
 *
 * <p>A slot's fields lie together, its numbers in one stretch of {@link #slotInts} and its times and
 * keys in one of {@link #slotLongs}: with 100 000 journeys open a slot finalized after its timeout
 * is out of the caches, and one array per field cost a cache miss per field (docs/BENCHMARKS.md,
 * analysis).
 *
 * <p>Not safe for concurrent use: one thread (the session's drain thread) feeds it.
 */
public final class JourneyJoiner {
    private static final long MISSING = -1;
    private static final int KEYS_PER_JOURNEY = 3;
    private static final int LINKING_FLAGS = EventLayout.FLAG_TAG_INSERTED | EventLayout.FLAG_TAG_STRIPPED;
    /** Per-slot marks, as events show them (JourneyEnd.RETRANSMIT is one of them). */
    private static final int SAW_EMPTY_SEGMENT = 8;
    private static final int SAW_PAYLOAD = 16;
    /** {@link #endOfTrace} while the trace goes on. */
    private static final long NOT_ENDING = Long.MAX_VALUE;

    private final ProbeCatalog catalog;
    private final JoinerConfig config;
    private final int maxHops;
    private final long timeout;
    private final JoinCounters counters = new JoinCounters();
    private final long[] eventsByProbe;
    private final FlowTable flows;
    private final RetiredFlows retired = new RetiredFlows();
    private FlowFigures figures;
    private final Long2LongHashMap slotByKey;
    private final ExpiryHeap expiry;

    // Journey slots: slotInts[slot * intStride + field], slotLongs[slot * longStride + field].
    private static final int KEY_COUNT = 0, HOP_COUNT = 1, FLOW = 2, DROP_PROBE = 3, DROP_REASON = 4, MARKS = 5, HOP_PROBE = 6;
    private static final int FLOW_TS = 0, KEYS = 1, HOP_TS = KEYS + KEYS_PER_JOURNEY;
    private final int intStride;
    private final int longStride;
    /** Where in a slot's ints its hops' IP lengths begin (after their probes). */
    private final int hopBytesField;
    private int capacity;
    private int[] slotInts;
    private long[] slotLongs;
    /** Apart from the slots: the expiry heap reads it, and every event compares with it. */
    private long[] firstTs;
    private int[] freeSlots;
    /** A finalized journey's hops, copied out of its slot for FlowAccumulator and listeners (base 0). */
    private final int[] hopProbe;
    private final long[] hopTs;
    private final int[] hopBytes;
    private int freeCount;

    private long watermark = Long.MIN_VALUE;
    /** The newest event's timestamp (the watermark also moves with the session's clock). */
    private long newestEvent = Long.MIN_VALUE;
    /** While {@link #flush(long)} runs: when the probes stopped recording. */
    private long endOfTrace = NOT_ENDING;
    private final ProbeShortfalls shortfalls;
    private final JourneyEnd end = new JourneyEnd();
    private JourneyListener listener;
    private final FinishedJourney finished;
    private volatile java.util.List<Summary.Node> nodeClocks = java.util.List.of();

    public JourneyJoiner(ProbeCatalog catalog, JoinerConfig config) {
        this.catalog = catalog;
        this.config = config;
        this.maxHops = config.maxHops();
        this.timeout = config.timeoutNanos();
        this.hopBytesField = HOP_PROBE + maxHops;
        this.intStride = hopBytesField + maxHops;
        this.longStride = HOP_TS + maxHops;
        this.hopProbe = new int[maxHops];
        this.hopTs = new long[maxHops];
        this.hopBytes = new int[maxHops];
        this.eventsByProbe = new long[catalog.capacity()];
        this.flows = new FlowTable(catalog.capacity());
        this.figures = new FlowFigures(catalog, config, java.util.List.of());
        this.slotByKey = new Long2LongHashMap(config.initialJourneys() * 2, 0.65f, MISSING);
        allocateSlots(config.initialJourneys());
        this.expiry = new ExpiryHeap(capacity, firstTs);
        this.finished = new FinishedJourney(catalog, flows);
        this.shortfalls = new ProbeShortfalls(catalog);
    }

    /**
     * Where the session reports when probes may have missed sightings (ring-buffer losses,
     * sampling); call on the joiner's thread, before the journeys of that time are finalized.
     */
    public ProbeShortfalls shortfalls() {
        return shortfalls;
    }

    /** Hands every finalized journey to {@code listener} as well (null: none). */
    public void setListener(JourneyListener listener) {
        this.listener = listener;
    }

    /**
     * The clocks of the nodes whose records this joiner joins, as their timestamps were corrected
     * (io.vnettracer.journey.clock); summaries then list them and give every segment between two
     * nodes its clock uncertainty. Empty (the default): all probes share one clock.
     */
    public void setNodeClocks(java.util.List<Summary.Node> clocks) {
        this.nodeClocks = java.util.List.copyOf(clocks);
        this.figures = new FlowFigures(catalog, config, nodeClocks);
    }

    /** Joins the event under {@code event}; the view is not kept. */
    public void onEvent(EventView event) {
        if (event.version() != EventLayout.CURRENT_VERSION) { counters.unknownVersion++; return; }
        int kind = event.kindCode();
        boolean isDrop = kind == EventKind.DROP.code();
        if (!isDrop && kind != EventKind.PACKET.code()) { counters.unknownKind++; return; }
        int probe = catalog.indexOf(event.probeId());
        if (probe < 0) { counters.unknownProbe++; return; }
        eventsByProbe[probe]++;
        long ts = event.timestamp();
        if (ts > newestEvent) newestEvent = ts;
        if (ts > watermark) watermark = ts;
        else if (ts <= watermark - timeout) { counters.lateEvents++; return; }
        counters.events++;

        int slot = slotFor(event, ts);
        if (ts < firstTs[slot]) {
            firstTs[slot] = ts;
            expiry.decreased(slot);
        }
        int ints = slot * intStride;
        if (isDrop) {
            if (slotInts[ints + DROP_PROBE] < 0) {
                slotInts[ints + DROP_PROBE] = probe;
                slotInts[ints + DROP_REASON] = (int) event.extra();
            } else {
                counters.extraDropEvents++;
            }
            if (slotInts[ints + FLOW] < 0) assignFlow(slot, flows.indexOf(event));
        } else {
            addHop(slot, probe, ts, event.ipLength());
            slotInts[ints + MARKS] |= marksOf(event);
            int flowTs = slot * longStride + FLOW_TS;
            if (ts < slotLongs[flowTs]) {
                assignFlow(slot, flows.indexOf(event));
                slotLongs[flowTs] = ts;
            }
        }
        expireUpTo(watermark);
    }

    /**
     * Moves event time forward without an event (the session's clock while traffic is idle), so that
     * journeys whose timeout has passed are finalized.
     */
    public void advanceTo(long eventTime) {
        if (eventTime > watermark) watermark = eventTime;
        expireUpTo(watermark);
        retireFlows();
    }

    /** Finalizes every open journey, in send order: the end of a trace, taken to be its newest event. */
    public void flush() {
        flush(newestEvent);
    }

    /**
     * Finalizes every open journey, in send order: the end of a trace. A journey still short of its
     * path's end whose last sighting is within its flow's longest journey of {@code endOfTrace}
     * could still have been travelling: it is {@code in_flight}, not lost.
     *
     * @param endOfTrace when the probes stopped recording, event time (the session's clock when it
     *                   began to detach them)
     */
    public void flush(long endOfTrace) {
        this.endOfTrace = endOfTrace;
        try {
            while (expiry.size() > 0) finalizeSlot(expiry.peek(), false);
            retireFlows();
        } finally {
            this.endOfTrace = NOT_ENDING;
        }
    }

    /** The newest event's timestamp so far (Long.MIN_VALUE before any): where {@link #flush()} takes the trace to end. */
    public long newestEvent() {
        return newestEvent;
    }

    /** Journeys open now. */
    public int openJourneys() {
        return expiry.size();
    }

    /**
     * Flows that have appeared so far, as rows of a summary: grows with each new 5-tuple (and with a
     * 5-tuple that comes back after it was retired). A live view publishes early when it grows.
     */
    public long flowsAppeared() {
        return flows.created();
    }

    /** The live counters (written by the joiner's thread). */
    public JoinCounters counters() {
        return counters;
    }

    /**
     * The summary of every finalized journey (call {@link #flush()} first at the end of a trace).
     *
     * @param ringLossesByProbeId events the session lost in ring buffers, by probe id
     */
    public Summary summary(IntToLongFunction ringLossesByProbeId) {
        return new SummaryBuilder(catalog, config, flows, retired, figures, eventsByProbe, counters.copy(), shortfalls)
                .build(ringLossesByProbeId);
    }

    /**
     * Copies of the per-flow pair histograms and probe sightings behind {@link #summary}, for
     * merging the summaries of joiners that saw disjoint packets (call {@link #flush()} first). Of
     * the flows still in the table only: a retired flow's figures are final rows.
     */
    public JoinerFigures figures() {
        java.util.List<JoinerFigures.Pair> pairs = new java.util.ArrayList<>();
        java.util.List<JoinerFigures.Sightings> sightings = new java.util.ArrayList<>();
        for (int f = 0; f < flows.highWater(); f++) {
            if (!flows.isLive(f)) continue;
            FlowAccumulator acc = flows.accumulator(f);
            if (acc == null) continue;
            FlowKey key = flows.key(f);
            int probes = Math.min(catalog.size(), acc.probes());
            for (int from = 0; from < probes; from++) {
                if (acc.seen[from] > 0) {
                    sightings.add(new JoinerFigures.Sightings(key, catalog.get(from).name(), acc.seen[from],
                            acc.bytes[from], acc.firstSeen[from], acc.lastSeen[from]));
                }
                for (int to = 0; to < probes; to++) {
                    PairStats s = acc.pairOrNull(from, to);
                    if (s != null) {
                        pairs.add(new JoinerFigures.Pair(key, catalog.get(from).name(), catalog.get(to).name(),
                                s.count, s.sum, s.min, s.max, s.jitter, s.histogramCopy()));
                    }
                }
            }
        }
        return new JoinerFigures(java.util.List.copyOf(pairs), java.util.List.copyOf(sightings));
    }

    // --- identity ---------------------------------------------------------------------------

    private int slotFor(EventView event, long ts) {
        long tag = event.tag();
        if (tag == 0) {
            long key = Identity.fingerprintKey(event.fingerprint());
            int slot = lookup(key);
            return slot >= 0 ? slot : open(key, ts);
        }
        long tagKey = Identity.tagKey(tag);
        int slot = lookup(tagKey);
        if ((event.flags() & LINKING_FLAGS) != 0) {
            return link(tagKey, slot, Identity.fingerprintKey(event.fingerprint()), ts);
        }
        return slot >= 0 ? slot : open(tagKey, ts);
    }

    /**
     * A tag-inserting or tag-stripping event shows tag and fingerprint together: the untagged
     * sightings of that fingerprint (before the tag was written, after it was removed) belong to
     * the tag's journey.
     */
    private int link(long tagKey, int tagSlot, long fingerprintKey, long ts) {
        int fpSlot = lookup(fingerprintKey);
        if (fpSlot >= 0 && fpSlot == tagSlot) return tagSlot;
        if (fpSlot >= 0 && hasTagKey(fpSlot)) {
            counters.fingerprintConflicts++;
            return tagSlot >= 0 ? tagSlot : open(tagKey, ts);
        }
        counters.links++;
        if (tagSlot < 0 && fpSlot < 0) {
            int slot = open(tagKey, ts);
            addKey(slot, fingerprintKey);
            return slot;
        }
        if (tagSlot < 0) {
            addKey(fpSlot, tagKey);
            return fpSlot;
        }
        if (fpSlot >= 0) {
            counters.merges++;
            mergeInto(fpSlot, tagSlot);
        } else {
            addKey(tagSlot, fingerprintKey);
        }
        return tagSlot;
    }

    private boolean hasTagKey(int slot) {
        for (int k = 0, n = slotInts[slot * intStride + KEY_COUNT]; k < n; k++) {
            if (Identity.isTag(slotLongs[slot * longStride + KEYS + k])) return true;
        }
        return false;
    }

    private void addKey(int slot, long key) {
        int keyCount = slot * intStride + KEY_COUNT;
        if (slotInts[keyCount] == KEYS_PER_JOURNEY) {
            counters.keysOverflow++;
            return;
        }
        slotLongs[slot * longStride + KEYS + slotInts[keyCount]++] = key;
        slotByKey.put(key, slot);
    }

    /** Moves everything of journey {@code from} into {@code into} and frees {@code from}. */
    private void mergeInto(int from, int into) {
        int fromInts = from * intStride, intoInts = into * intStride;
        int fromLongs = from * longStride, intoLongs = into * longStride;
        for (int i = 0; i < slotInts[fromInts + HOP_COUNT]; i++) {
            addHop(into, slotInts[fromInts + HOP_PROBE + i], slotLongs[fromLongs + HOP_TS + i],
                    slotInts[fromInts + hopBytesField + i]);
        }
        if (slotInts[fromInts + DROP_PROBE] >= 0) {
            if (slotInts[intoInts + DROP_PROBE] < 0) {
                slotInts[intoInts + DROP_PROBE] = slotInts[fromInts + DROP_PROBE];
                slotInts[intoInts + DROP_REASON] = slotInts[fromInts + DROP_REASON];
            } else {
                counters.extraDropEvents++;
            }
        }
        slotInts[intoInts + MARKS] |= slotInts[fromInts + MARKS];
        if (slotLongs[fromLongs + FLOW_TS] < slotLongs[intoLongs + FLOW_TS] || slotInts[intoInts + FLOW] < 0) {
            assignFlow(into, slotInts[fromInts + FLOW]);
            slotLongs[intoLongs + FLOW_TS] = slotLongs[fromLongs + FLOW_TS];
        }
        assignFlow(from, -1);
        if (firstTs[from] < firstTs[into]) {
            firstTs[into] = firstTs[from];
            expiry.decreased(into);
        }
        for (int k = 0; k < slotInts[fromInts + KEY_COUNT]; k++) {
            long key = slotLongs[fromLongs + KEYS + k];
            if (slotInts[intoInts + KEY_COUNT] == KEYS_PER_JOURNEY) {
                counters.keysOverflow++;
                slotByKey.remove(key);
            } else {
                addKey(into, key);
            }
        }
        slotInts[fromInts + KEY_COUNT] = 0;
        expiry.remove(from);
        freeSlots[freeCount++] = from;
    }

    private int lookup(long key) {
        return (int) slotByKey.get(key);
    }

    // --- journeys ---------------------------------------------------------------------------

    private int open(long key, long ts) {
        if (freeCount == 0) {
            if (capacity < config.maxJourneys()) {
                growSlots(Math.min(config.maxJourneys(), capacity * 2));
            } else {
                counters.evictedEarly++;
                finalizeSlot(expiry.peek(), true);
                retireFlows();
            }
        }
        int slot = freeSlots[--freeCount];
        int ints = slot * intStride;
        slotInts[ints + KEY_COUNT] = 0;
        slotInts[ints + HOP_COUNT] = 0;
        slotInts[ints + FLOW] = -1;
        slotInts[ints + DROP_PROBE] = -1;
        slotInts[ints + DROP_REASON] = -1;
        slotInts[ints + MARKS] = 0;
        slotLongs[slot * longStride + FLOW_TS] = Long.MAX_VALUE;
        firstTs[slot] = ts;
        addKey(slot, key);
        expiry.add(slot);
        return slot;
    }

    /** Keeps the earliest sighting per probe, hops sorted by time. */
    private void addHop(int slot, int probe, long ts, int bytes) {
        int ints = slot * intStride;
        int probes = ints + HOP_PROBE, lengths = ints + hopBytesField, times = slot * longStride + HOP_TS;
        int[] is = slotInts;
        long[] ls = slotLongs;
        int n = is[ints + HOP_COUNT];
        for (int i = 0; i < n; i++) {
            if (is[probes + i] == probe) {
                counters.duplicates++;
                if (ts >= ls[times + i]) return;
                System.arraycopy(is, probes + i + 1, is, probes + i, n - i - 1);
                System.arraycopy(ls, times + i + 1, ls, times + i, n - i - 1);
                System.arraycopy(is, lengths + i + 1, is, lengths + i, n - i - 1);
                n--;
                break;
            }
        }
        if (n == maxHops) {
            counters.hopsOverflow++;
            is[ints + HOP_COUNT] = n;
            return;
        }
        int i = n;
        while (i > 0 && ls[times + i - 1] > ts) {
            is[probes + i] = is[probes + i - 1];
            ls[times + i] = ls[times + i - 1];
            is[lengths + i] = is[lengths + i - 1];
            i--;
        }
        is[probes + i] = probe;
        ls[times + i] = ts;
        is[lengths + i] = bytes;
        is[ints + HOP_COUNT] = n + 1;
    }

    private void expireUpTo(long now) {
        while (expiry.size() > 0) {
            if (expiry.peekTime() > now - timeout) break;
            finalizeSlot(expiry.peek(), false);
        }
        retireFlows();
    }

    /** @param cutShort finalized before its timeout: the joiner holds its most journeys */
    private void finalizeSlot(int slot, boolean cutShort) {
        counters.journeys++;
        int ints = slot * intStride, longs = slot * longStride;
        int hops = slotInts[ints + HOP_COUNT];
        System.arraycopy(slotInts, ints + HOP_PROBE, hopProbe, 0, hops);
        System.arraycopy(slotInts, ints + hopBytesField, hopBytes, 0, hops);
        System.arraycopy(slotLongs, longs + HOP_TS, hopTs, 0, hops);
        int flow = slotInts[ints + FLOW], dropProbe = slotInts[ints + DROP_PROBE], dropReason = slotInts[ints + DROP_REASON];
        int keyCount = slotInts[ints + KEY_COUNT];
        if (hops == 0) counters.dropOnlyJourneys++;
        if (hops == 1) counters.singletons++;
        if (flow >= 0) {
            FlowAccumulator acc = flows.accumulatorFor(flow, catalog.size());
            describeEnd(slotInts[ints + MARKS], hops, acc, cutShort);
            acc.record(hopProbe, hopTs, hopBytes, 0, hops, endProbe(hops), dropProbe, dropReason, end, counters);
        }
        if (listener != null) {
            finished.point(counters.journeys, keyCount > 0 ? slotLongs[longs + KEYS] : 0, flow,
                    hopProbe, hopTs, hopBytes, 0, hops, dropProbe, dropReason);
            listener.onJourney(finished);
        }
        for (int k = 0; k < keyCount; k++) {
            slotByKey.remove(slotLongs[longs + KEYS + k]);
        }
        slotInts[ints + KEY_COUNT] = 0;
        assignFlow(slot, -1);
        expiry.remove(slot);
        freeSlots[freeCount++] = slot;
    }

    /** Points journey {@code slot} at flow {@code f} (-1: none), keeping the flows' open-journey counts. */
    private void assignFlow(int slot, int f) {
        int field = slot * intStride + FLOW;
        int old = slotInts[field];
        if (old == f) return;
        if (old >= 0) flows.release(old);
        slotInts[field] = f;
        if (f >= 0) flows.hold(f, watermark);
    }

    /**
     * Takes flows out of the table: those idle for {@link JoinerConfig#flowIdleNanos()} keep their
     * final rows; past {@link JoinerConfig#maxFlows()} flows kept apart, the smallest retired one
     * (or, when none is, the least recently active in the table) is folded into "other flows". A
     * flow with an open journey stays, so under a flood of new flows the table may hold more for
     * as long as their journeys are open: bounded by {@link JoinerConfig#maxJourneys()}.
     */
    private void retireFlows() {
        long idle = config.flowIdleNanos();
        long idleBefore = watermark < Long.MIN_VALUE + idle ? Long.MIN_VALUE : watermark - idle;
        for (int f; (f = flows.idleSince(idleBefore)) >= 0; ) {
            FlowAccumulator acc = flows.accumulator(f);
            if (acc != null) {
                counters.flowsEvictedIdle++;
                retired.keep(figures.of(flows.key(f), acc, flows.order(f)));
            }
            flows.remove(f);
        }
        while (flows.live() + retired.kept() > config.maxFlows()) {
            if (retired.foldSmallest()) {
                counters.flowsFolded++;
                continue;
            }
            int f = flows.leastRecentRemovable(16);
            if (f < 0) return;
            FlowAccumulator acc = flows.accumulator(f);
            if (acc != null) {
                counters.flowsFolded++;
                retired.fold(figures.of(flows.key(f), acc, flows.order(f)));
            }
            flows.remove(f);
        }
    }

    private static int marksOf(EventView event) {
        int m = (event.flags() & EventLayout.FLAG_RETRANSMIT) != 0 ? JourneyEnd.RETRANSMIT : 0;
        int payload = event.tcpPayloadLength();
        if (payload == 0) m |= SAW_EMPTY_SEGMENT;
        else if (payload > 0) m |= SAW_PAYLOAD;
        return m;
    }

    /**
     * Fills {@link #end} for the journey being finalized (its hops copied out to {@link #hopProbe}
     * and {@link #hopTs}, its {@code marks}): which probes saw it, its marks, and which
     * probes of its flow's path so far missed it while they had a shortfall. A packet reaches a
     * missing probe within its flow's longest journey of its own sightings, so the probe's
     * shortfalls are looked for in that window around them.
     */
    private void describeEnd(int m, int hops, FlowAccumulator acc, boolean cutShort) {
        long seen = 0;
        for (int i = 0; i < hops; i++) seen |= JourneyEnd.bit(hopProbe[i]);
        int out = m & JourneyEnd.RETRANSMIT;
        if (cutShort) out |= JourneyEnd.CUT_SHORT;
        // A segment some probe saw with data is a data segment, whatever another probe's view said.
        if ((m & SAW_EMPTY_SEGMENT) != 0 && (m & SAW_PAYLOAD) == 0) out |= JourneyEnd.NO_PAYLOAD;
        long missing = acc.pathMask & ~seen;
        long missedWithShortfall = 0;
        // Every probe with a shortfall that did not see it, not only those of the flow's path so
        // far: that path is learnt from the journeys finalized before, and under ring losses the
        // first ones to reach the path's end can be finalized after journeys that missed it (a
        // socket's read is recorded late, when the application reads).
        long unseenWithShortfall = ~seen & shortfalls.probeMask();
        if (hops > 0 && (missing | unseenWithShortfall) != 0) {
            long first = hopTs[0], last = hopTs[hops - 1];
            long reach = acc.maxSpan;
            if (missing != 0 && endOfTrace != NOT_ENDING && last + reach >= endOfTrace) out |= JourneyEnd.IN_FLIGHT;
            long candidates = unseenWithShortfall;
            while (candidates != 0) {
                int p = Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                if (shortfalls.missed(p, first - reach, last + reach)) missedWithShortfall |= 1L << p;
            }
        }
        end.seen = seen;
        end.marks = out;
        end.shortfalls = missedWithShortfall;
    }

    /**
     * Where the journey ended: its sighting furthest along the path. That is its last sighting in
     * time, unless every probe that saw it has a place given by the catalog (a collector's script
     * order): then the place decides, so that clocks of different nodes that disagree by more than
     * a hop's delay cannot make a delivered packet look lost on the way.
     */
    private int endProbe(int hops) {
        if (hops == 0) return -1;
        int end = hopProbe[hops - 1];
        int furthest = Integer.MIN_VALUE;
        int furthestProbe = -1;
        for (int i = 0; i < hops; i++) {
            int p = hopProbe[i];
            int position = catalog.get(p).position();
            if (position == ProbeCatalog.NO_POSITION) return end;
            if (position > furthest) {
                furthest = position;
                furthestProbe = p;
            }
        }
        return furthestProbe;
    }

    private void allocateSlots(int n) {
        capacity = n;
        slotInts = new int[n * intStride];
        slotLongs = new long[n * longStride];
        firstTs = new long[n];
        freeSlots = new int[n];
        for (int i = 0; i < n; i++) freeSlots[i] = n - 1 - i;
        freeCount = n;
    }

    private void growSlots(int n) {
        int old = capacity;
        capacity = n;
        slotInts = Arrays.copyOf(slotInts, n * intStride);
        slotLongs = Arrays.copyOf(slotLongs, n * longStride);
        firstTs = Arrays.copyOf(firstTs, n);
        freeSlots = Arrays.copyOf(freeSlots, n);
        for (int i = n - 1; i >= old; i--) freeSlots[freeCount++] = i;
        expiry.grow(n, firstTs);
    }
}
