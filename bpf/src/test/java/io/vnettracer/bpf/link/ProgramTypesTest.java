package io.vnettracer.bpf.link;

import static io.vnettracer.bpf.asm.Reg.R0;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.testing.Cgroup;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.bpf.testing.TestPrograms;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each program type the tracer uses, loaded, attached to its hook and seeing real packets. */
class ProgramTypesTest {
    private static final int PORT = 40100;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void xdpCountsPacketsArrivingAtAnInterface() {
        try (VethPair net = new VethPair("vktx", 5);
             BpfMap counter = BpfMap.create(MapSpec.array("x_count", 8, 1));
             Program prog = Program.load(ProgramSpec.of("x_count", ProgramType.XDP,
                     TestPrograms.xdpCountUdpToPort(counter, PORT)).withAttach(AttachType.XDP));
             Link link = Link.xdp(prog, LibC.ifNameToIndex(net.outer))) {
            int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 300);
            assertTrue(sent > 250, "sent " + sent);
            assertEquals(sent, counter.sumLong(0));
        }
    }

    @Test
    void rawTracepointFiresForEveryReceivedPacket() {
        Assembler a = new Assembler();
        try (VethPair net = new VethPair("vktr", 6);
             BpfMap counter = BpfMap.create(MapSpec.array("r_count", 8, 1))) {
            TestPrograms.incrementCounter(a, counter, 0);
            var insns = a.mov64(R0, 0).exit().assemble();
            try (Program prog = Program.load(ProgramSpec.of("r_count", ProgramType.RAW_TRACEPOINT, insns));
                 Link link = Link.rawTracepoint(prog, "netif_receive_skb")) {
                int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 200);
                // Every datagram is received once on the outer end; other traffic on the host may add more.
                assertTrue(counter.sumLong(0) >= sent, "netif_receive_skb fired " + counter.sumLong(0) + " times for " + sent);
            }
        }
    }

    @Test
    void cgroupSkbCountsWhatProcessesOfTheCgroupSend() throws Exception {
        try (VethPair net = new VethPair("vktc", 7);
             Cgroup cgroup = new Cgroup("vkt-cgroup-skb");
             BpfMap counter = BpfMap.create(MapSpec.array("c_count", 8, 1));
             Program prog = Program.load(ProgramSpec.of("c_count", ProgramType.CGROUP_SKB,
                     TestPrograms.cgroupCountUdpToPort(counter, PORT)).withAttach(AttachType.CGROUP_INET_EGRESS));
             Link link = Link.cgroup(prog, cgroup.dir, AttachType.CGROUP_INET_EGRESS)) {
            int sent = Traffic.udpFromCgroup(cgroup.dir.toString(), net.innerAddress, PORT, 150);
            // Sent from outside the cgroup: not counted.
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(new byte[1], 1, InetAddress.getByName(net.innerAddress), PORT));
            }
            assertEquals(sent, counter.sumLong(0));
        }
    }

    @Test
    void sockOpsSeesTcpConnectionsOfTheCgroup() throws Exception {
        try (Cgroup cgroup = new Cgroup("vkt-sock-ops");
             BpfMap counter = BpfMap.create(MapSpec.array("s_count", 8, 1));
             ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Assembler a = new Assembler();
            TestPrograms.incrementCounter(a, counter, 0);
            var insns = a.mov64(R0, 1).exit().assemble();
            try (Program prog = Program.load(ProgramSpec.of("s_count", ProgramType.SOCK_OPS, insns)
                    .withAttach(AttachType.CGROUP_SOCK_OPS));
                 Link link = Link.cgroup(prog, cgroup.dir, AttachType.CGROUP_SOCK_OPS)) {
                Thread acceptor = Thread.ofPlatform().start(() -> {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read();
                    } catch (Exception ignored) {
                        // the client closes first
                    }
                });
                Shell.run("bash", "-c", "echo $$ > " + cgroup.dir + "/cgroup.procs; exec 3<>/dev/tcp/127.0.0.1/"
                        + server.getLocalPort() + "; printf x >&3");
                acceptor.join(5000);
                assertTrue(counter.sumLong(0) > 0, "sock_ops callbacks: " + counter.sumLong(0));
            }
        }
    }

    @Test
    void socketFilterSeesEveryDatagramOfItsSocket() throws Exception {
        int afInet = 2;
        int sockDgram = 2;
        try (BpfMap counter = BpfMap.create(MapSpec.array("f_count", 8, 1));
             Arena arena = Arena.ofConfined()) {
            Assembler a = new Assembler();
            TestPrograms.incrementCounter(a, counter, 0);
            // A socket filter returns how many bytes to keep: all of them.
            var insns = a.mov64(R0, -1).exit().assemble();
            try (Program prog = Program.load(ProgramSpec.of("f_count", ProgramType.SOCKET_FILTER, insns));
                 Fd socket = new Fd(LibC.socket(afInet, sockDgram, 0, "a UDP socket for the filter test"));
                 DatagramSocket sender = new DatagramSocket()) {
                MemorySegment addr = arena.allocate(16);
                addr.set(JAVA_SHORT, 0, (short) afInet);
                addr.set(JAVA_BYTE, 2, (byte) (PORT >> 8));
                addr.set(JAVA_BYTE, 3, (byte) PORT);
                addr.set(JAVA_INT, 4, 0x0100007f); // 127.0.0.1 in network order
                LibC.bind(socket.get(), addr, "binding 127.0.0.1:" + PORT);
                SocketFilter.attach(socket.get(), prog);
                for (int i = 0; i < 50; i++) {
                    sender.send(new DatagramPacket(new byte[8], 8, InetAddress.getLoopbackAddress(), PORT));
                }
                MemorySegment buf = arena.allocate(64);
                for (int i = 0; i < 50; i++) {
                    assertEquals(8, LibC.recv(socket.get(), buf, "receiving"));
                }
                assertEquals(50, counter.sumLong(0));
            }
        }
    }
}
