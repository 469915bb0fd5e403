package io.vnettracer.journey;

/**
 * A flyweight over one journey at the moment it is finalized: its sightings in time order, its
 * drop (if a drop probe saw it), its flow and its identity. Valid only during
 * {@link JourneyListener#onJourney}; reading it allocates nothing except {@link #flow()}'s
 * key, which the flow table already holds.
 */
public final class FinishedJourney {
    private final ProbeCatalog catalog;
    private final FlowTable flows;
    private long sequence;
    private long identityKey;
    private int flow;
    private int[] hopProbe;
    private long[] hopTs;
    private int[] hopBytes;
    private int base;
    private int hops;
    private int dropProbe;
    private int dropReason;

    FinishedJourney(ProbeCatalog catalog, FlowTable flows) {
        this.catalog = catalog;
        this.flows = flows;
    }

    void point(long sequence, long identityKey, int flow, int[] hopProbe, long[] hopTs, int[] hopBytes,
               int base, int hops, int dropProbe, int dropReason) {
        this.sequence = sequence;
        this.identityKey = identityKey;
        this.flow = flow;
        this.hopProbe = hopProbe;
        this.hopTs = hopTs;
        this.hopBytes = hopBytes;
        this.base = base;
        this.hops = hops;
        this.dropProbe = dropProbe;
        this.dropReason = dropReason;
    }

    /** 1 for the first journey the joiner finalized, then 2, 3, ... */
    public long sequence() {
        return sequence;
    }

    /** The journey's first identity key ({@link Identity}: a tag key or a fingerprint key). */
    public long identityKey() {
        return identityKey;
    }

    /** The journey's flow, or null when no event of it carried a decodable packet key. */
    public FlowKey flow() {
        return flow < 0 ? null : flows.key(flow);
    }

    /**
     * The flow's number in this joiner (dense from 0, stable for the joiner's life), or -1 when no
     * event carried a packet key: a primitive key for per-flow state of listeners.
     */
    public int flowNumber() {
        return flow;
    }

    /** Sightings, at most one per probe, sorted by timestamp. */
    public int hops() {
        return hops;
    }

    /** The catalog index (not the probe id) of sighting {@code i}. */
    public int hopProbe(int i) {
        return hopProbe[base + checkHop(i)];
    }

    /** The kernel timestamp (ns) of sighting {@code i}. */
    public long hopTimestamp(int i) {
        return hopTs[base + checkHop(i)];
    }

    /** The IP length the probe saw at sighting {@code i}. */
    public int hopBytes(int i) {
        return hopBytes[base + checkHop(i)];
    }

    /** The catalog index of the drop probe that saw the packet freed, or -1. */
    public int dropProbe() {
        return dropProbe;
    }

    /** The kernel's drop reason code, or -1 when not dropped. */
    public int dropReason() {
        return dropReason;
    }

    public ProbeCatalog catalog() {
        return catalog;
    }

    private int checkHop(int i) {
        if (i < 0 || i >= hops) throw new IndexOutOfBoundsException("hop " + i + " of " + hops);
        return i;
    }
}
