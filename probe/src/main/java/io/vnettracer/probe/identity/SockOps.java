package io.vnettracer.probe.identity;

/**
 * What a sock_ops program needs of include/uapi/linux/bpf.h: offsets in its context,
 * struct bpf_sock_ops (stable ABI, rewritten by the verifier), the callbacks (enum, BPF_SOCK_OPS_*)
 * and the flags that turn callbacks on.
 */
final class SockOps {
    /** struct bpf_sock_ops: __u32 op. */
    static final int OP = 0;
    /** struct bpf_sock_ops: __u32 bpf_sock_ops_cb_flags. */
    static final int CB_FLAGS = 84;

    static final int TCP_CONNECT_CB = 3;
    static final int ACTIVE_ESTABLISHED_CB = 4;
    static final int PASSIVE_ESTABLISHED_CB = 5;
    static final int HDR_OPT_LEN_CB = 14;
    static final int WRITE_HDR_OPT_CB = 15;

    /** BPF_SOCK_OPS_WRITE_HDR_OPT_CB_FLAG: call HDR_OPT_LEN_CB and WRITE_HDR_OPT_CB for every segment. */
    static final int WRITE_HDR_OPT_CB_FLAG = 1 << 6;

    private SockOps() {}
}
