package io.vnettracer.bpf.ringbuf;

/**
 * The ring buffer's shared memory, from kernel/bpf/ringbuf.c and include/uapi/linux/bpf.h: page 0
 * holds the consumer position (written by user space), page 1 the producer position, and from page 2
 * the data area, mapped twice in a row so a record that wraps reads as one piece. Each record starts
 * with an 8-byte header (struct bpf_ringbuf_hdr) whose first word is the length and two flag bits.
 */
final class RingBufferLayout {
    /** BPF_RINGBUF_BUSY_BIT: the producer has reserved the record but not yet committed it. */
    static final int BUSY_BIT = 1 << 31;
    /** BPF_RINGBUF_DISCARD_BIT: the producer gave the record up; skip it. */
    static final int DISCARD_BIT = 1 << 30;
    /** BPF_RINGBUF_HDR_SZ. */
    static final int HEADER_SIZE = 8;

    /** Flags of bpf_ringbuf_output/submit/discard, from include/uapi/linux/bpf.h. */
    static final long BPF_RB_NO_WAKEUP = 1;
    static final long BPF_RB_FORCE_WAKEUP = 2;

    private RingBufferLayout() {}

    static boolean isBusy(int header) {
        return (header & BUSY_BIT) != 0;
    }

    static boolean isDiscarded(int header) {
        return (header & DISCARD_BIT) != 0;
    }

    static int length(int header) {
        return header & ~(BUSY_BIT | DISCARD_BIT);
    }

    /** Bytes a record of {@code length} occupies: header plus data, rounded up to 8. */
    static long footprint(int length) {
        return (length + HEADER_SIZE + 7L) & ~7L;
    }
}
