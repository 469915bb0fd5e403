/**
 * Loading eBPF programs: program and attach types, the load itself with the verifier's log on
 * failure, and running a loaded program on test input (BPF_PROG_TEST_RUN).
 *
 * <p>A {@link io.vnettracer.bpf.prog.Program} owns its file descriptor; closing it unloads the program
 * once no link holds it. Programs are safe to share between threads; loading is not on any hot path.
 */
package io.vnettracer.bpf.prog;
