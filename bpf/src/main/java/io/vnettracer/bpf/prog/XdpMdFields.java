package io.vnettracer.bpf.prog;

/** Offsets of struct xdp_md (include/uapi/linux/bpf.h), the context of XDP programs, and enum xdp_action. */
public final class XdpMdFields {
    public static final int DATA = 0;
    public static final int DATA_END = 4;
    public static final int DATA_META = 8;
    public static final int INGRESS_IFINDEX = 12;
    public static final int RX_QUEUE_INDEX = 16;
    public static final int EGRESS_IFINDEX = 20;

    public static final int XDP_ABORTED = 0;
    public static final int XDP_DROP = 1;
    public static final int XDP_PASS = 2;
    public static final int XDP_TX = 3;
    public static final int XDP_REDIRECT = 4;

    private XdpMdFields() {}
}
