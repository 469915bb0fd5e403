package io.vnettracer.bpf.link.tc;

/** Classifier constants, from include/uapi/linux/pkt_cls.h (cls_bpf part and tc actions). */
public final class PktCls {
    private PktCls() {}

    // Return codes of a direct-action classifier.
    /** Use the default action: filters after this one still run. */
    public static final int TC_ACT_UNSPEC = -1;
    public static final int TC_ACT_OK = 0;
    public static final int TC_ACT_SHOT = 2;

    // Attributes inside TCA_OPTIONS of a "bpf" filter (enum TCA_BPF_*).
    public static final int TCA_BPF_FD = 6;
    public static final int TCA_BPF_NAME = 7;
    public static final int TCA_BPF_FLAGS = 8;
    public static final int TCA_BPF_ID = 11;
    /** The program's return value is the action (no separate tc action needed). */
    public static final int TCA_BPF_FLAG_ACT_DIRECT = 1;

    /** The longest filter name cls_bpf accepts, NUL included (CLS_BPF_NAME_LEN_MAX in net/sched/cls_bpf.c). */
    public static final int CLS_BPF_NAME_LEN_MAX = 256;

    /** From include/uapi/linux/if_ether.h: every protocol. Filters carry it in network byte order. */
    public static final int ETH_P_ALL = 0x0003;
}
