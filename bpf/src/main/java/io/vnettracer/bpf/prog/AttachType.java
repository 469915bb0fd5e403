package io.vnettracer.bpf.prog;

/** Attach types, numbered as enum bpf_attach_type in include/uapi/linux/bpf.h. */
public enum AttachType {
    CGROUP_INET_INGRESS(0),
    CGROUP_INET_EGRESS(1),
    CGROUP_INET_SOCK_CREATE(2),
    CGROUP_SOCK_OPS(3),
    TRACE_RAW_TP(23),
    TRACE_FENTRY(24),
    TRACE_FEXIT(25),
    XDP(37),
    /** TCX hooks, kernel 6.6 and later. */
    TCX_INGRESS(46),
    TCX_EGRESS(47);

    private final int number;

    AttachType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The kernel's name of the constant, e.g. {@code BPF_TCX_INGRESS}. */
    public String kernelName() {
        return switch (this) {
            case CGROUP_INET_INGRESS, CGROUP_INET_EGRESS, CGROUP_INET_SOCK_CREATE, CGROUP_SOCK_OPS -> "BPF_" + name();
            default -> "BPF_" + name();
        };
    }
}
