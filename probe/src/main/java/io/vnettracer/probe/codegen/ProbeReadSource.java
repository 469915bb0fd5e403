package io.vnettracer.probe.codegen;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;

/**
 * Header bytes copied with bpf_probe_read_kernel from {@code skb->head + skb->network_header}
 * (offsets from BTF): for tracepoints, where the packet is only reachable through the sk_buff.
 * Reading past a short packet stays inside the skb's buffer, so fixed sizes are copied.
 */
final class ProbeReadSource implements HeaderSource {
    /** skb->network_header when no network header is set ((u16)~0U, include/linux/skbuff.h). */
    private static final int NO_HEADER = 0xffff;

    private final int skbHead;
    private final int skbNetworkHeader;

    ProbeReadSource(int skbHead, int skbNetworkHeader) {
        this.skbHead = skbHead;
        this.skbNetworkHeader = skbNetworkHeader;
    }

    @Override
    public void start(Assembler a, String fail) {
        a.ldx(8, R8, R9, skbHead)
                .ldx(2, R1, R9, skbNetworkHeader)
                .jeq(R1, NO_HEADER, fail)
                .add64(R8, R1);
        copy(a, Frame.IP_SCRATCH, 40);
        a.jne(R0, 0, fail);
    }

    @Override
    public void ensureIpv6Header(Assembler a, String fail) {
        // start() copied 40 bytes already.
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
        copy(a, Frame.L4_SCRATCH, 16);
        a.jne(R0, 0, fail);
    }

    private static void copy(Assembler a, int frameOffset, int size) {
        a.mov64(R1, R10)
                .add64(R1, frameOffset)
                .mov64(R2, size)
                .mov64(R3, R8)
                .call(Helper.PROBE_READ_KERNEL);
    }
}
