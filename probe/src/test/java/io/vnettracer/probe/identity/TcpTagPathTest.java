package io.vnettracer.probe.identity;

import static org.junit.jupiter.api.Assertions.*;

import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramLoadException;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.sys.NetnsCookie;
import io.vnettracer.bpf.testing.Cgroup;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.InNamespace;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TCP from a process in a cgroup with the sock_ops tag program, scoped to namespace A, through
 * {@code A -veth- bridge -veth- B}; {@link TcpTagCensus} programs (built on {@link TcpTagReader})
 * at the bridge ports count what crossed. The same cgroup's connections from namespace B are left
 * alone, until the program is swapped for an unscoped one.
 */
class TcpTagPathTest {
    private static final int PORT = 7017;
    private static final int BYTES = 300_000;

    @Test
    void everyDataSegmentFromTheScopedNamespaceIsTaggedAndOtherNamespacesAreNot() throws Exception {
        Root.assume();
        byte[] data = new byte[BYTES];
        new Random(11).nextBytes(data);
        Path file = Files.createTempFile("vtct", ".bin");
        try (BridgedNamespaces net = new BridgedNamespaces("vtct", 90);
             Cgroup cgroup = new Cgroup("vtct-tcp");
             BpfMap counters = BpfMap.create(TagCounter.mapSpec("vtct_counters"))) {
            Files.write(file, data);
            long cookieA;
            try (NetNamespace a = NetNamespace.named(net.a)) {
                cookieA = a.run(NetnsCookie::current);
            }
            TcpTagOption scoped = new TcpTagOption(counters, TcpTagOption.DEFAULT_EXID, cookieA);
            try (Program sockOps = load(scoped);
                 Link cgroupLink = Link.cgroup(sockOps, cgroup.dir, AttachType.CGROUP_SOCK_OPS)) {
                try (TcpTagCensus fromA = new TcpTagCensus(PORT);
                     Link tc = InNamespace.call(net.bridgeNamespace, () -> Link.tcx(fromA.program, net.aPort, TcxDirection.INGRESS))) {
                    assertArrayEquals(data, send(net, cgroup, net.a, net.b, net.bAddress, file), "B got every byte from A");
                    String census = fromA.summary();
                    System.out.println("bridge port from A: " + census);
                    assertEquals(0, fromA.count(TcpTagCensus.UNTAGGED_DATA) + fromA.count(TcpTagCensus.UNTAGGED_CONTROL),
                            "a segment from A without the tag: " + census);
                    long taggedData = fromA.count(TcpTagCensus.TAGGED_DATA);
                    assertTrue(taggedData > 0, census);
                    assertTrue(fromA.count(TcpTagCensus.TAGGED_DATA_WIRE_SEGMENTS) >= BYTES / 1500, census);
                    long tagged = taggedData + fromA.count(TcpTagCensus.TAGGED_CONTROL);
                    long[] distinct = fromA.distinctTagsAndTheirSkbs();
                    assertEquals(tagged, distinct[1], "each tagged skb recorded its tag: " + census);
                    assertEquals(tagged, distinct[0], "each skb the stack sent drew its own id: " + census);
                }
                try (TcpTagCensus fromB = new TcpTagCensus(PORT);
                     Link tc = InNamespace.call(net.bridgeNamespace, () -> Link.tcx(fromB.program, net.bPort, TcxDirection.INGRESS))) {
                    assertArrayEquals(data, send(net, cgroup, net.b, net.a, net.aAddress, file), "A got every byte from B");
                    String census = fromB.summary();
                    System.out.println("bridge port from B (outside the scope): " + census);
                    assertTrue(fromB.count(TcpTagCensus.UNTAGGED_DATA) > 0, census);
                    assertEquals(0, fromB.count(TcpTagCensus.TAGGED_DATA) + fromB.count(TcpTagCensus.TAGGED_CONTROL),
                            "the same cgroup's connection from B is outside the scope: " + census);
                }
            }
            assertEquals(0, counters.sumLong(TagCounter.OPTION_NO_ROOM.ordinal())
                    + counters.sumLong(TagCounter.OPTION_WRITE_FAILED.ordinal()));
            // The control: unscoped, the same program tags B's connections too.
            try (Program sockOps = load(new TcpTagOption(counters, TcpTagOption.DEFAULT_EXID));
                 Link cgroupLink = Link.cgroup(sockOps, cgroup.dir, AttachType.CGROUP_SOCK_OPS);
                 TcpTagCensus fromB = new TcpTagCensus(PORT);
                 Link tc = InNamespace.call(net.bridgeNamespace, () -> Link.tcx(fromB.program, net.bPort, TcxDirection.INGRESS))) {
                assertArrayEquals(data, send(net, cgroup, net.b, net.a, net.aAddress, file), "A got every byte from B");
                assertEquals(0, fromB.count(TcpTagCensus.UNTAGGED_DATA), fromB.summary());
                assertTrue(fromB.count(TcpTagCensus.TAGGED_DATA) > 0, fromB.summary());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The id is drawn per skb the stack sends: limited to one segment per skb (gso_max_segs 1 on
     * A's device), each wire segment has an id of its own.
     */
    @Test
    void withoutGsoEachWireSegmentDrawsItsOwnId() throws Exception {
        Root.assume();
        byte[] data = new byte[BYTES];
        new Random(12).nextBytes(data);
        Path file = Files.createTempFile("vtct", ".bin");
        try (BridgedNamespaces net = new BridgedNamespaces("vtct", 90);
             Cgroup cgroup = new Cgroup("vtct-tcp");
             BpfMap counters = BpfMap.create(TagCounter.mapSpec("vtct_counters"))) {
            Files.write(file, data);
            Shell.run("ip", "-n", net.a, "link", "set", net.aInner, "gso_max_segs", "1");
            try (Program sockOps = load(new TcpTagOption(counters, TcpTagOption.DEFAULT_EXID));
                 Link cgroupLink = Link.cgroup(sockOps, cgroup.dir, AttachType.CGROUP_SOCK_OPS);
                 TcpTagCensus fromA = new TcpTagCensus(PORT);
                 Link tc = InNamespace.call(net.bridgeNamespace, () -> Link.tcx(fromA.program, net.aPort, TcxDirection.INGRESS))) {
                assertArrayEquals(data, send(net, cgroup, net.a, net.b, net.bAddress, file), "B got every byte from A");
                String census = fromA.summary();
                System.out.println("bridge port from A, no GSO: " + census);
                long taggedData = fromA.count(TcpTagCensus.TAGGED_DATA);
                assertEquals(0, fromA.count(TcpTagCensus.UNTAGGED_DATA), census);
                assertEquals(taggedData, fromA.count(TcpTagCensus.TAGGED_DATA_WIRE_SEGMENTS), "one skb per wire segment: " + census);
                assertEquals(taggedData + fromA.count(TcpTagCensus.TAGGED_CONTROL), fromA.distinctTagsAndTheirSkbs()[0],
                        "each wire segment has its own id: " + census);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Sends {@code file} from a shell in the cgroup and namespace {@code from} to a Java server in
     * {@code to}, which answers once it has read it all; returns what the server read.
     */
    private static byte[] send(BridgedNamespaces net, Cgroup cgroup, String from, String to, String toAddress, Path file)
            throws Exception {
        try (ServerSocket server = InNamespace.call(to, () -> new ServerSocket(PORT, 1, InetAddress.getByName(toAddress)))) {
            AtomicReference<byte[]> received = new AtomicReference<>();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread acceptor = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10000);
                    received.set(s.getInputStream().readNBytes(BYTES));
                    OutputStream out = s.getOutputStream();
                    out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            // Into the cgroup first: `ip netns exec` mounts the namespace's own /sys, without the cgroup tree.
            String reply = Shell.run("bash", "-c", "echo $$ > " + cgroup.dir + "/cgroup.procs; exec ip netns exec "
                    + from + " bash -c 'exec 3<>/dev/tcp/" + toAddress + "/" + PORT
                    + "; cat " + file + " >&3; head -n 1 <&3'");
            acceptor.join(15000);
            assertNull(failure.get(), () -> "the server in " + to + " failed: " + failure.get());
            assertEquals("ok", reply.strip(), "the client in " + from + " got the server's answer");
            return received.get() == null ? new byte[0] : received.get();
        }
    }

    private static Program load(TcpTagOption option) {
        try {
            return Program.load(ProgramSpec.of("vtct_tcp_opt", ProgramType.SOCK_OPS, option.program())
                    .withAttach(AttachType.CGROUP_SOCK_OPS));
        } catch (ProgramLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
