package io.vnettracer.bpf.ringbuf;

/**
 * Flags a program passes to bpf_ringbuf_submit/output (include/uapi/linux/bpf.h). Waking the
 * consumer for every record costs microseconds; {@link #NO_WAKEUP} with a consumer that polls on a
 * short timer costs nothing per record.
 */
public final class RingBufferFlags {
    /** The kernel decides: wake the consumer if it has caught up (adaptive). */
    public static final long ADAPTIVE = 0;
    /** BPF_RB_NO_WAKEUP. */
    public static final long NO_WAKEUP = RingBufferLayout.BPF_RB_NO_WAKEUP;
    /** BPF_RB_FORCE_WAKEUP. */
    public static final long FORCE_WAKEUP = RingBufferLayout.BPF_RB_FORCE_WAKEUP;

    private RingBufferFlags() {}
}
