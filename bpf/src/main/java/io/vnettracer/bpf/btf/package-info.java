/**
 * A reader of BTF, the kernel's type information (Documentation/bpf/btf.rst,
 * include/uapi/linux/btf.h): the running kernel's from /sys/kernel/btf/vmlinux, a module's split
 * BTF, or any raw blob. It answers what program generators need: struct member offsets (also
 * inside anonymous members), bitfields, type sizes, enum values, the attach ids and arguments of
 * tp_btf tracepoints, function ids.
 *
 * <p>Parsing indexes names and type positions only; types are decoded on first use. A
 * {@link io.vnettracer.bpf.btf.Btf} is immutable and safe to share between threads. Not a
 * writer: it cannot build or load BTF into the kernel, and it does not deduplicate types.
 */
package io.vnettracer.bpf.btf;
