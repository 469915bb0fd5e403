package io.vnettracer.bpf.features;

/**
 * The capabilities the tracer needs, with their bit numbers from include/uapi/linux/capability.h.
 * CAP_PERFMON and CAP_BPF were split out of CAP_SYS_ADMIN in Linux 5.8.
 */
public enum Capability {
    /** Attach to network devices (tc, XDP), cgroup_skb and sock_ops programs. */
    CAP_NET_ADMIN(12),
    /** Enter and create network namespaces (setns, unshare), mount bpffs and tracefs. */
    CAP_SYS_ADMIN(21),
    /** Tracing programs (tp_btf, raw_tp) and reading kernel memory through helpers. */
    CAP_PERFMON(38),
    /** Create maps and load programs at all. */
    CAP_BPF(39);

    private final int bit;

    Capability(int bit) {
        this.bit = bit;
    }

    /** The bit number in the capability sets of /proc/[pid]/status. */
    public int bit() {
        return bit;
    }
}
