package io.vnettracer.event;

/**
 * The event a probe writes for each packet it records: {@value #SIZE} bytes, little-endian except
 * where {@link PacketKeyLayout} says network order. Versioned: a consumer refuses events whose
 * {@link #VERSION} byte it does not know, and counts them.
 */
public final class EventLayout {
    /** The layout version this code writes and reads. */
    public static final int CURRENT_VERSION = 1;

    /** u8: layout version. */
    public static final int VERSION = 0;
    /** u8: {@link EventKind}. */
    public static final int KIND = 1;
    /** u8: {@link IdMode} of {@link #TAG}. */
    public static final int ID_MODE = 2;
    /** u8: {@link #FLAG_TAG_INSERTED} and friends. */
    public static final int FLAGS = 3;
    /** u32: which probe wrote the event (the session numbers its probes). */
    public static final int PROBE_ID = 4;
    /** u64: bpf_ktime_get_ns() of the probe's kernel, ns. */
    public static final int TIMESTAMP = 8;
    /** u32: the packet's explicit ID when it carries one, else 0. */
    public static final int TAG = 16;
    /** u32: the CPU the probe ran on. */
    public static final int CPU = 20;
    /** u32: interface index (in the probe's namespace), 0 where there is none. */
    public static final int IFINDEX = 24;
    /** u32: skb->len as the probe saw it. */
    public static final int SKB_LENGTH = 28;
    /** u64: the network namespace's cookie (bpf_get_netns_cookie), 0 where unavailable. */
    public static final int NETNS_COOKIE = 32;
    /** {@link PacketKeyLayout#SIZE} bytes: the packet key. */
    public static final int KEY = 40;
    /** u64: a per-kind extra word: the drop reason for {@link EventKind#DROP}, else 0. */
    public static final int EXTRA = 96;
    public static final int SIZE = 104;

    /** Flag: this probe inserted the packet's tag (the sender's first tagging point). */
    public static final int FLAG_TAG_INSERTED = 1;
    /** Flag: this probe removed the tag before the packet reached a traced receiver. */
    public static final int FLAG_TAG_STRIPPED = 2;
    /** Flag: the tag could not be applied (GSO, fragment, over MTU); identity falls back to the fingerprint. */
    public static final int FLAG_TAG_SKIPPED = 4;
    /**
     * Flag: the probe's filter did not match. Never in an event: the UDP socket receive probe keeps
     * every datagram in its in-kernel pairing queue so that reads pair with the right one, and
     * writes nothing for the reads of datagrams marked so.
     */
    public static final int FLAG_FILTERED_OUT = 8;
    /**
     * Flag: a TCP segment whose sequence range its connection had already sent, in whole or in
     * part: a retransmission. Set by the session on the sending socket's events.
     */
    public static final int FLAG_RETRANSMIT = 16;

    private EventLayout() {}
}
