package io.vnettracer.probe.codegen;

import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.btf.BtfTracepoint;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.sys.NetnsCookie;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tp_btf probe built from SkbReader and EventEmitter writes true events for real packets. */
class TracepointEventTest {
    private static final int PORT = 40300;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void netifReceiveSkbEventsDescribeThePacketsSent() {
        Btf btf = Btf.kernel();
        BtfTracepoint tp = btf.tracepoint("netif_receive_skb");
        try (VethPair net = new VethPair("vpte", 30);
             BpfMap ring = BpfMap.create(MapSpec.ringBuffer("pte_ring", 1 << 20));
             BpfMap lost = BpfMap.create(MapSpec.perCpuArray("pte_lost", 8, 4))) {
            Assembler a = new Assembler();
            EventEmitter.clearFrame(a);
            SkbReader.loadArgument(a, R9, tp.argIndex("skb"));
            SkbReader reader = new SkbReader(btf);
            reader.readMetadata(a);
            reader.readKey(a);
            a.ldx(2, R1, R10, Frame.KEY + PacketKeyLayout.DST_PORT)
                    .jne(R1, Short.reverseBytes((short) PORT) & 0xffff, "out");
            new EventEmitter(ring, lost).emit(a, 3, EventKind.PACKET);
            a.label("out").mov64(R0, 0).exit();
            ProgramSpec spec = ProgramSpec.of("pte_rx", ProgramType.TRACING, a.assemble())
                    .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
            List<String> seen = new ArrayList<>();
            int sent;
            try (Program prog = Program.load(spec); Link link = Link.tracing(prog);
                 RingBufferReader events = new RingBufferReader(ring)) {
                sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 50);
                EventView v = new EventView();
                events.drain((buf, off, len) -> {
                    v.wrap(buf, off);
                    assertEquals(EventLayout.SIZE, len);
                    seen.add(v.kind() + " " + v.idMode() + " probe=" + v.probeId() + " fam=" + v.family()
                            + " proto=" + v.protocol() + " " + ip(v.srcIpv4()) + ":" + v.srcPort()
                            + ">" + ip(v.dstIpv4()) + ":" + v.dstPort() + " iplen=" + v.ipLength()
                            + " skblen=" + v.skbLength() + " if=" + v.ifindex() + " ns=" + v.netnsCookie()
                            + " l4=" + Long.toHexString(v.l4Data()));
                });
            }
            assertTrue(sent > 40, "sent " + sent);
            assertEquals(sent, seen.size(), String.join("\n", seen));
            String expected = EventKind.PACKET + " " + IdMode.FINGERPRINT + " probe=3 fam=4 proto=17 "
                    + net.innerAddress + ":";
            String tail = ">" + net.outerAddress + ":" + PORT + " iplen=29 skblen=29 if=" + LibC.ifNameToIndex(net.outer)
                    + " ns=" + NetnsCookie.current() + " l4=" + Long.toHexString((long) 'x' << 56);
            for (String s : seen) {
                assertTrue(s.startsWith(expected) && s.endsWith(tail), s + "\nexpected " + expected + "..." + tail);
            }
            assertEquals(0, lost.sumLong(3));
        }
    }

    private static String ip(int v4) {
        return (v4 >>> 24) + "." + ((v4 >>> 16) & 0xff) + "." + ((v4 >>> 8) & 0xff) + "." + (v4 & 0xff);
    }
}
