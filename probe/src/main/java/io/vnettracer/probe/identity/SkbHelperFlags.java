package io.vnettracer.probe.identity;

/** Flags of the bpf_skb_* helpers the tag code calls, from include/uapi/linux/bpf.h. */
final class SkbHelperFlags {
    /** bpf_skb_store_bytes: keep skb->csum right for CHECKSUM_COMPLETE packets. */
    static final int BPF_F_RECOMPUTE_CSUM = 1;
    /** bpf_l3_csum_replace: the low bits (BPF_F_HDR_FIELD_MASK) give the size of the changed field. */
    static final int FIELD_SIZE_2 = 2;

    private SkbHelperFlags() {}
}
