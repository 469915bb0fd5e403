/**
 * Answers "does this machine support X" for the rest of the runtime and for {@code vnettracer
 * doctor}: kernel version, BTF, cgroup v2, bpffs, tracefs, privileges, JDK, and (through small
 * programs loaded once) the program and attach types the kernel accepts.
 *
 * <p>Each check runs at most once per {@link io.vnettracer.bpf.features.Features} instance and is
 * cached; an instance is safe for concurrent use. The parsers here ({@link
 * io.vnettracer.bpf.features.KernelVersion}, {@link io.vnettracer.bpf.features.Privileges},
 * {@link io.vnettracer.bpf.features.MountTable}) are pure. Not a policy: which features a tool
 * needs is the tool's decision, not this package's.
 */
package io.vnettracer.bpf.features;
