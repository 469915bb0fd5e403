package io.vnettracer.bpf.link;

import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.btf.BtfTracepoint;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.TestPrograms;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tp_btf program reads a kernel structure at offsets taken from the running kernel's BTF. */
class TracingTest {
    private static final int PORT = 40200;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void tpBtfProgramReadsSkbLengthAtTheBtfOffset() {
        Btf btf = Btf.kernel();
        BtfTracepoint tp = btf.tracepoint("netif_receive_skb");
        int skbArg = tp.argIndex("skb");
        int lenOffset = (int) btf.member("sk_buff", "len").byteOffset();
        // At netif_receive_skb the Ethernet header is pulled: len = IPv4 20 + UDP 8 + 1 byte of payload.
        int expectedLen = 29;
        try (VethPair net = new VethPair("vktt", 8);
             BpfMap counter = BpfMap.create(MapSpec.array("t_count", 8, 1))) {
            Assembler a = new Assembler()
                    .ldx(8, R2, R1, 8 * skbArg)
                    .ldx(4, R3, R2, lenOffset)
                    .jne(R3, expectedLen, "out");
            TestPrograms.incrementCounter(a, counter, 0);
            var insns = a.label("out").mov64(R0, 0).exit().assemble();
            ProgramSpec spec = ProgramSpec.of("t_skb_len", ProgramType.TRACING, insns)
                    .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
            try (Program prog = Program.load(spec);
                 Link link = Link.tracing(prog)) {
                int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 100);
                assertTrue(sent > 80, "sent " + sent);
                assertEquals(sent, counter.sumLong(0));
            }
        }
    }
}
