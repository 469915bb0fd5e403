package io.vnettracer.bpf.testing;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.TcxVerdict;
import io.vnettracer.bpf.prog.XdpMdFields;

/** Small programs the kernel tests load. */
public final class TestPrograms {
    private static final int ETH_HLEN = 14;
    private static final int IPV4_MIN_HLEN = 20;
    private static final int UDP_HLEN = 8;

    private TestPrograms() {}

    /**
     * A tc program that counts IPv4 UDP packets to {@code port} (IP header without options) in
     * element 0 of an array map of u64, and lets every packet pass on.
     */
    public static Instructions countUdpToPort(BpfMap counter, int port) {
        return countUdpToPort(counter, port, SkBuffFields.DATA, SkBuffFields.DATA_END, true, TcxVerdict.NEXT);
    }

    /** The same for an XDP program (context struct xdp_md). */
    public static Instructions xdpCountUdpToPort(BpfMap counter, int port) {
        return countUdpToPort(counter, port, XdpMdFields.DATA, XdpMdFields.DATA_END, true, XdpMdFields.XDP_PASS);
    }

    /** The same for a cgroup_skb program, whose packet data starts at the IP header; allows every packet. */
    public static Instructions cgroupCountUdpToPort(BpfMap counter, int port) {
        return countUdpToPort(counter, port, SkBuffFields.DATA, SkBuffFields.DATA_END, false, 1);
    }

    private static Instructions countUdpToPort(BpfMap counter, int port, int dataField, int dataEndField,
                                               boolean hasEthernet, int verdict) {
        int l3 = hasEthernet ? ETH_HLEN : 0;
        Assembler a = new Assembler();
        a.mov64(R6, R1)
                .ldx(4, R2, R6, dataField)
                .ldx(4, R3, R6, dataEndField)
                .mov64(R4, R2)
                .add64(R4, l3 + IPV4_MIN_HLEN + UDP_HLEN)
                .jgt(R4, R3, "out");
        if (hasEthernet) {
            a.ldx(2, R5, R2, 12)
                    .jne(R5, Short.reverseBytes((short) 0x0800) & 0xffff, "out");
        }
        a.ldx(1, R5, R2, l3 + 9)
                .jne(R5, 17, "out")
                .ldx(2, R5, R2, l3 + IPV4_MIN_HLEN + 2)
                .jne(R5, Short.reverseBytes((short) port) & 0xffff, "out");
        incrementCounter(a, counter, 0);
        return a.label("out")
                .mov64(R0, verdict)
                .exit()
                .assemble();
    }

    /** Emits counter[index] += 1 (atomically); clobbers R0-R5. */
    public static void incrementCounter(Assembler a, BpfMap counter, int index) {
        String skip = "skip_increment_" + a.position();
        a.st(4, R10, -4, index)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, counter.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, skip)
                .mov64(R1, 1)
                .atomicAdd(8, R0, 0, R1)
                .label(skip);
    }
}
