package io.vnettracer.bpf.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.TestPrograms;
import io.vnettracer.bpf.testing.VethPair;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcxCountTest {
    private static final int PORT = 40001;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void countsExactlyThePacketsSentThroughAVethEnd() throws Exception {
        int sent = 1000;
        try (VethPair net = new VethPair("vkta", 1);
             BpfMap counter = BpfMap.create(MapSpec.array("count", 8, 1));
             Program prog = Program.load(ProgramSpec.of("count_udp", ProgramType.SCHED_CLS,
                     TestPrograms.countUdpToPort(counter, PORT)));
             Link link = Link.tcx(prog, LibC.ifNameToIndex(net.outer), TcxDirection.EGRESS);
             DatagramSocket socket = new DatagramSocket()) {
            assertEquals(1, TcxQuery.of(LibC.ifNameToIndex(net.outer), TcxDirection.EGRESS).count());
            InetAddress to = InetAddress.getByName(net.innerAddress);
            byte[] payload = new byte[32];
            for (int i = 0; i < sent; i++) {
                socket.send(new DatagramPacket(payload, payload.length, to, PORT));
                // Packets to other ports cross the same hook and must not be counted.
                socket.send(new DatagramPacket(payload, payload.length, to, PORT + 1));
            }
            assertEquals(sent, counter.sumLong(0));
            link.close();
            assertEquals(0, TcxQuery.of(LibC.ifNameToIndex(net.outer), TcxDirection.EGRESS).count(),
                    "closing the link detaches the program");
        }
    }
}
