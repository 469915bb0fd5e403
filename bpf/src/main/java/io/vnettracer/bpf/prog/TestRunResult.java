package io.vnettracer.bpf.prog;

/**
 * What BPF_PROG_TEST_RUN reported.
 *
 * @param returnValue the program's return value (of the last run)
 * @param nanosPerRun the kernel's average duration of one run, in ns
 * @param dataOut the packet as the program left it (for programs that see packets), else empty
 */
public record TestRunResult(int returnValue, long nanosPerRun, byte[] dataOut) {}
