/**
 * eBPF maps: creation, and element access both allocation-free (over caller-owned memory segments,
 * for hot paths) and convenient (typed keys and values through {@link io.vnettracer.bpf.map.Codec}s).
 *
 * <p>A {@link io.vnettracer.bpf.map.BpfMap} may be used from several threads: each element operation is
 * one system call. Its convenience methods allocate; the segment methods do not.
 */
package io.vnettracer.bpf.map;
