package io.vnettracer.probe.codegen;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;

/**
 * Header bytes loaded with bpf_skb_load_bytes from the context's packet (R6 = the __sk_buff), whose
 * data starts at the IP header (cgroup_skb) or {@code l3Offset} bytes before it. The helper refuses
 * a copy past the end of the packet, so short packets are read in smaller steps; on failure it
 * zeroes the destination, which keeps the key's unread parts zero.
 */
final class SkbLoadSource implements HeaderSource {
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private final int l3Offset;

    SkbLoadSource(int l3Offset) {
        this.l3Offset = l3Offset;
    }

    @Override
    public void start(Assembler a, String fail) {
        a.mov64(R8, l3Offset);
        load(a, Frame.IP_SCRATCH, IPV4_HEADER);
        a.jne(R0, 0, fail);
    }

    @Override
    public void ensureIpv6Header(Assembler a, String fail) {
        load(a, Frame.IP_SCRATCH, IPV6_HEADER);
        a.jne(R0, 0, fail);
    }

    @Override
    public void advance(Assembler a, Reg lengthRegister) {
        a.add64(R8, lengthRegister);
    }

    @Override
    public void advance(Assembler a, int bytes) {
        a.add64(R8, bytes);
    }

    @Override
    public void loadL4(Assembler a, String fail) {
        String full = "l4full" + a.position();
        load(a, Frame.L4_SCRATCH, 16);
        a.jeq(R0, 0, full);
        load(a, Frame.L4_SCRATCH, 8);
        a.jne(R0, 0, fail)
                .label(full);
    }

    private static void load(Assembler a, int frameOffset, int size) {
        a.mov64(R1, R6)
                .mov64(R2, R8)
                .mov64(R3, R10)
                .add64(R3, frameOffset)
                .mov64(R4, size)
                .call(Helper.SKB_LOAD_BYTES);
    }
}
