package io.vnettracer.bpf.prog;

/** Program types, numbered as enum bpf_prog_type in include/uapi/linux/bpf.h. */
public enum ProgramType {
    SOCKET_FILTER(1),
    KPROBE(2),
    SCHED_CLS(3),
    SCHED_ACT(4),
    TRACEPOINT(5),
    XDP(6),
    PERF_EVENT(7),
    CGROUP_SKB(8),
    CGROUP_SOCK(9),
    SOCK_OPS(13),
    SK_SKB(14),
    RAW_TRACEPOINT(17),
    CGROUP_SOCK_ADDR(18),
    RAW_TRACEPOINT_WRITABLE(24),
    TRACING(26),
    EXT(28),
    LSM(29),
    SYSCALL(31),
    NETFILTER(32);

    private final int number;

    ProgramType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The kernel's name of the constant, e.g. {@code BPF_PROG_TYPE_SCHED_CLS}. */
    public String kernelName() {
        return "BPF_PROG_TYPE_" + name();
    }
}
