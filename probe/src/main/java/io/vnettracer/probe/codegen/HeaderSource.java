package io.vnettracer.probe.codegen;

import io.vnettracer.bpf.asm.Assembler;

/**
 * Where {@link HeaderParser} gets header bytes from: copied out of kernel memory through a pointer
 * (tracepoints), or loaded from the context's packet (cgroup_skb, tc). Each method copies into a
 * {@link Frame} scratch area and jumps to {@code fail} when the bytes are not there.
 *
 * <p>Register contract: R8 holds the source's position (a pointer or an offset) from {@link #start}
 * on; R6 and R9 are the caller's; R0-R5 are clobbered.
 */
interface HeaderSource {
    /** Positions R8 at the IP header and copies at least 20 bytes of it to {@link Frame#IP_SCRATCH}. */
    void start(Assembler a, String fail);

    /** Makes sure the 40 bytes of an IPv6 header are in {@link Frame#IP_SCRATCH}. */
    void ensureIpv6Header(Assembler a, String fail);

    /** Moves R8 on by {@code lengthRegister} bytes (the IP header's length). */
    void advance(Assembler a, io.vnettracer.bpf.asm.Reg lengthRegister);

    /** Moves R8 on by a constant. */
    void advance(Assembler a, int bytes);

    /**
     * Copies the first 16 bytes of L4 to {@link Frame#L4_SCRATCH}, or at least 8 (a UDP header) with
     * the rest zero; jumps to {@code fail} if not even 8 are there.
     */
    void loadL4(Assembler a, String fail);
}
