package io.vnettracer.event;

import java.lang.foreign.MemorySegment;

/**
 * Checks records before anything reads them as events: the length, where the record lies, the
 * layout version, the kind and the probe id. A record that fails is counted, never thrown; one
 * that passes is read through the decoder's one {@link EventView}. Allocates nothing; one thread
 * decodes, any may read the count.
 */
public final class EventDecoder {
    private final EventView view = new EventView();
    private final int probes;
    private volatile long undecodable;

    /** @param probes probe ids run from 0 to {@code probes - 1} */
    public EventDecoder(int probes) {
        this.probes = probes;
    }

    /**
     * The view over the record of {@code length} bytes at {@code offset} in {@code buffer}, or null
     * (counted in {@link #undecodable()}) when it is not an event this build reads.
     */
    public EventView decode(MemorySegment buffer, long offset, int length) {
        if (length != EventLayout.SIZE || offset < 0 || offset > buffer.byteSize() - EventLayout.SIZE) {
            undecodable++;
            return null;
        }
        view.wrap(buffer, offset);
        int probe = view.probeId();
        if (view.version() != EventLayout.CURRENT_VERSION || probe < 0 || probe >= probes || view.kind() == null) {
            undecodable++;
            return null;
        }
        return view;
    }

    /** Records refused so far. */
    public long undecodable() {
        return undecodable;
    }
}
