package io.vnettracer.journey;

import io.vnettracer.event.EventView;

/**
 * The identity of an event as one {@code long} key, in two disjoint spaces so that a tag and a
 * fingerprint can share one map without ever being mistaken for each other:
 * <ul>
 *   <li>a tag (the event's 32-bit explicit ID, when non-zero) becomes {@code TAG_SPACE | tag}
 *       (top bit set);</li>
 *   <li>otherwise the event's 64-bit fingerprint with its top bit cleared (63 bits remain,
 *       plenty for the number of packets in flight at once).</li>
 * </ul>
 * The tag wins whenever the event has one, whatever its id-mode byte says: a probe that saw a tag
 * saw the one thing that survives every boundary. Static and allocation-free.
 */
public final class Identity {
    /** The top bit marks a key in the tag space. */
    public static final long TAG_SPACE = Long.MIN_VALUE;

    private Identity() {}

    /** The identity key of the event under {@code view}. */
    public static long of(EventView view) {
        long tag = view.tag();
        return tag != 0 ? tagKey(tag) : fingerprintKey(view.fingerprint());
    }

    public static long tagKey(long tag) {
        return TAG_SPACE | (tag & 0xFFFF_FFFFL);
    }

    public static long fingerprintKey(long fingerprint) {
        return fingerprint & Long.MAX_VALUE;
    }

    public static boolean isTag(long key) {
        return key < 0;
    }

    /** The 32-bit tag of a key in the tag space. */
    public static long tagOf(long key) {
        return key & 0xFFFF_FFFFL;
    }
}
