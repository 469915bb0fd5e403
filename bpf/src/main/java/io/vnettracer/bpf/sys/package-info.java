/**
 * The system-call layer: bpf(2) and the few libc calls the runtime needs (mmap, epoll, setns,
 * netlink sockets, if_nametoindex), reached through the Foreign Function and Memory API.
 *
 * <p>Nothing above this package touches a raw file descriptor number or a native call. Every
 * failure becomes a {@link io.vnettracer.bpf.sys.BpfException} naming the command and the errno.
 * Kernel structure layouts live here as offset constants named after the kernel's fields.
 * Not for packet or tracing concepts: this package knows nothing of them.
 */
package io.vnettracer.bpf.sys;
