package io.vnettracer.bpf.sys;

/**
 * System call numbers that glibc has no wrapper for, per architecture, from
 * arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h (arm64).
 */
final class SyscallNumbers {
    static final long BPF;
    static final long PERF_EVENT_OPEN;

    static {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64", "x86_64" -> {
                BPF = 321;
                PERF_EVENT_OPEN = 298;
            }
            case "aarch64", "arm64" -> {
                BPF = 280;
                PERF_EVENT_OPEN = 241;
            }
            default -> throw new UnsupportedOperationException(
                    "vNetTracer knows the bpf(2) system call number only for x86_64 and arm64, not " + arch);
        }
    }

    private SyscallNumbers() {}
}
