package io.vnettracer.bpf.link.tc;

/** Traffic-control handles, from include/uapi/linux/pkt_sched.h. */
public final class PktSched {
    private PktSched() {}

    public static final int TC_H_MAJ_MASK = 0xFFFF0000;
    public static final int TC_H_MIN_MASK = 0x0000FFFF;
    /** The parent of the clsact (and ingress) qdisc. */
    public static final int TC_H_CLSACT = 0xFFFFFFF1;
    /** Minor handles of clsact's two hooks. */
    public static final int TC_H_MIN_INGRESS = 0xFFF2;
    public static final int TC_H_MIN_EGRESS = 0xFFF3;

    /** TC_H_MAKE(maj, min). */
    public static int makeHandle(int major, int minor) {
        return (major & TC_H_MAJ_MASK) | (minor & TC_H_MIN_MASK);
    }

    /** The handle of the clsact qdisc itself, "ffff:", as tc(8) creates it. */
    public static final int CLSACT_HANDLE = makeHandle(TC_H_CLSACT, 0);
}
