package io.vnettracer.probe.codegen;

import io.vnettracer.event.PacketKeyLayout;

/**
 * The stack frame of every probe program (offsets from R10, the frame pointer). The prologue of a
 * probe fills the slots; the filter reads the key; the emitter copies everything into the event.
 * Slots are 8 bytes even when the value is smaller, so every load is aligned.
 */
public final class Frame {
    /** 4 bytes for map keys handed to helpers. */
    public static final int MAP_KEY = -8;
    /** u64: the packet's tag, 0 if none. */
    public static final int TAG = -16;
    /** u64: skb->len. */
    public static final int SKB_LENGTH = -24;
    /** u64: interface index. */
    public static final int IFINDEX = -32;
    /** u64: network namespace cookie. */
    public static final int NETNS_COOKIE = -40;
    /** u64: the event's extra word (drop reason). */
    public static final int EXTRA = -48;
    /** u64: event flags (tag inserted, stripped, skipped). */
    public static final int FLAGS = -56;
    /** The packet key, {@link PacketKeyLayout#SIZE} bytes. */
    public static final int KEY = -56 - PacketKeyLayout.SIZE;
    /** Scratch for headers copied out of the packet: 40 bytes of IP header, 16 of L4. */
    public static final int IP_SCRATCH = KEY - 40;
    public static final int L4_SCRATCH = IP_SCRATCH - 16;
    /** 24 bytes the packet tag generators work in. */
    public static final int TAG_SCRATCH = L4_SCRATCH - 24;
    /**
     * 24 bytes: the key of a UDP datagram in the socket receive probe's in-kernel queue (u32 probe
     * id, u32 0, u64 socket cookie, u64 position); its first 16 bytes key the socket's state.
     */
    public static final int PAIRING_KEY = TAG_SCRATCH - 24;
    /** 16 bytes: a socket's queue state (u64 tail, u64 head) before it is in the map. */
    public static final int PAIRING_SOCKET = PAIRING_KEY - 16;
    /**
     * What a queued datagram keeps until its read: the frame from {@link #KEY} up to
     * {@link #MAP_KEY} (key, flags, extra word, namespace, interface, length, tag).
     */
    public static final int SIGHTING = KEY;
    public static final int SIGHTING_SIZE = MAP_KEY - KEY;
    /** Aggregate mode ({@code JourneyAggregation}): u64 the packet's identity (its fingerprint). */
    public static final int AGG_ID = PAIRING_SOCKET - 8;
    /** u64: bpf_ktime_get_ns() as the aggregation step began. */
    public static final int AGG_NOW = AGG_ID - 8;
    /** u64: the delay being added to a segment. */
    public static final int AGG_DELAY = AGG_NOW - 8;
    /** u64: the delay since the packet's first sighting (0 at it). */
    public static final int AGG_OFFSET = AGG_DELAY - 8;
    /** u64: a u32 index into an array map. */
    public static final int AGG_INDEX = AGG_OFFSET - 8;
    /** u64: a value written into a hash map as a new entry (1 for a counter, a flow index). */
    public static final int AGG_NEW_VALUE = AGG_INDEX - 8;
    /** 8 bytes: a segment or delay-bucket key. */
    public static final int AGG_SEGMENT_KEY = AGG_NEW_VALUE - 8;
    /** 40 bytes: a flow key. */
    public static final int AGG_FLOW_KEY = AGG_SEGMENT_KEY - 40;
    /** 32 bytes: a new sightings or segments entry. */
    public static final int AGG_ENTRY = AGG_FLOW_KEY - 32;
    /** 16 bytes: a drop key. */
    public static final int AGG_DROP_KEY = AGG_ENTRY - 16;
    /** The lowest byte the frame uses; generators must stay above the 512-byte stack limit. */
    public static final int BOTTOM = AGG_DROP_KEY;

    private Frame() {}
}
