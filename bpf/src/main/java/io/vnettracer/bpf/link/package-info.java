/**
 * Attaching loaded programs to hooks through bpf links: TCX on an interface (kernel 6.6+),
 * tp_btf and raw tracepoints, cgroups and XDP. A link belongs to the file descriptor that holds
 * it: when the process ends, however it ends, the kernel detaches it.
 *
 * <p>An interface index is resolved in the calling thread's network namespace, so attach inside
 * {@code NetNamespace.run} for an interface of another namespace.
 */
package io.vnettracer.bpf.link;
