package io.vnettracer.probe.identity;

import static org.junit.jupiter.api.Assertions.*;

import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramLoadException;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.testing.Cgroup;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.InNamespace;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A TCP connection from a process in a cgroup with the sock_ops tag program: every segment it
 * sends, SYN included, carries the option where a tc program on the path looks, and the
 * connection carries its data intact.
 */
class TcpTagOptionTest {
    private static final int PORT = 7007;
    private static final int BYTES = 20000;

    @Test
    void everySegmentOfTheCgroupsConnectionCarriesTheOptionAndTheDataArrives() throws Exception {
        Root.assume();
        String expected = "vnettracer\n".repeat(BYTES / 11 + 1).substring(0, BYTES);
        try (BridgedNamespaces net = new BridgedNamespaces("vtag", 60);
             Cgroup cgroup = new Cgroup("vtag-tcp");
             BpfMap counters = BpfMap.create(TagCounter.mapSpec("vtag_counters"));
             TcpHeaderCapture capture = new TcpHeaderCapture(PORT)) {
            TcpTagOption option = new TcpTagOption(counters, TcpTagOption.DEFAULT_EXID);
            try (Program sockOps = load(option);
                 Link cgroupLink = Link.cgroup(sockOps, cgroup.dir, AttachType.CGROUP_SOCK_OPS);
                 Link tcLink = InNamespace.call(net.bridgeNamespace, () -> Link.tcx(capture.program, net.aPort, TcxDirection.INGRESS));
                 ServerSocket server = InNamespace.call(net.b, () -> new ServerSocket(PORT, 1, java.net.InetAddress.getByName(net.bAddress)))) {
                AtomicReference<String> received = new AtomicReference<>();
                Thread acceptor = Thread.ofPlatform().start(() -> {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(5000);
                        received.set(new String(s.getInputStream().readNBytes(BYTES), StandardCharsets.US_ASCII));
                        OutputStream out = s.getOutputStream();
                        out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (Exception e) {
                        received.set("server failed: " + e);
                    }
                });
                // Into the cgroup first: `ip netns exec` mounts the namespace's own /sys, without the cgroup tree.
                String reply = Shell.run("bash", "-c", "echo $$ > " + cgroup.dir + "/cgroup.procs; exec ip netns exec "
                        + net.a + " bash -c 'exec 3<>/dev/tcp/" + net.bAddress + "/" + PORT
                        + "; yes vnettracer | head -c " + BYTES + " >&3; head -n 1 <&3'");
                acceptor.join(10000);

                assertEquals("ok", reply.strip(), "the client got the server's answer");
                assertEquals(expected, received.get(), "the server got every byte");
                List<byte[]> headers = capture.captured();
                assertTrue(headers.size() >= 3, "SYN, ACK and data segments seen: " + headers.size());
                Set<Integer> ids = new HashSet<>();
                for (byte[] header : headers) {
                    int id = option.idIn(header);
                    assertNotEquals(0, id, "a segment without the option, flags 0x" + Integer.toHexString(header[13] & 0xFF));
                    ids.add(id);
                }
                assertTrue((headers.get(0)[13] & 0x02) != 0, "the first segment seen is the SYN, and it is tagged");
                assertTrue(ids.size() > 1, "each segment built draws its own id");
                assertEquals(0, counters.sumLong(TagCounter.OPTION_NO_ROOM.ordinal())
                        + counters.sumLong(TagCounter.OPTION_WRITE_FAILED.ordinal()));
            }
        }
    }

    @Test
    void theJavaParserFindsTheOptionAmongOthers() {
        Root.assume();
        try (BpfMap counters = BpfMap.create(TagCounter.mapSpec("vtag_counters"))) {
            parseAmongOthers(new TcpTagOption(counters, 0x564E));
        }
    }

    private static void parseAmongOthers(TcpTagOption option) {
        byte[] header = new byte[40];
        header[12] = (byte) (10 << 4);                          // 40-byte header
        int i = 20;
        header[i++] = 1;                                        // NOP
        header[i++] = 1;
        header[i++] = 8;                                        // timestamps, whose data holds 254 8 'V' 'N'
        header[i++] = 10;
        header[i++] = (byte) 254;
        header[i++] = 8;
        header[i++] = 0x56;
        header[i++] = 0x4E;
        i += 4;
        assertEquals(0, option.idIn(header), "a look-alike inside another option is not ours");
        header[32] = (byte) 254;
        header[33] = 8;
        header[34] = 0x56;
        header[35] = 0x4E;
        header[36] = 0x12;
        header[37] = 0x34;
        header[38] = 0x56;
        header[39] = 0x78;
        assertEquals(0x12345678, option.idIn(header));
    }

    private static Program load(TcpTagOption option) {
        try {
            return Program.load(ProgramSpec.of("vtag_tcp_opt", ProgramType.SOCK_OPS, option.program())
                    .withAttach(AttachType.CGROUP_SOCK_OPS));
        } catch (ProgramLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
