/**
 * The path-overhead benchmark ({@code scripts/bench path}): loads across a two-VM lab path with
 * nothing, vNetTracer, tcpdump or bpftrace attached. It creates and removes the lab "vbench" and
 * starts processes in its namespaces; run it as root on a machine where that lab name is free.
 * Not safe to run beside another benchmark or the demo: they share the CPUs it measures.
 */
package io.vnettracer.bench.path;
