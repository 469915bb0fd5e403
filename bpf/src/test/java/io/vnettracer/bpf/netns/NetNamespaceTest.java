package io.vnettracer.bpf.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vnettracer.bpf.sys.LibC;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs code inside a real network namespace made with ip-netns(8). */
class NetNamespaceTest {
    private static final String NS = "vnl-a";
    /** An address from TEST-NET-1 (RFC 5737), present only inside the test namespace. */
    private static final String NS_ADDRESS = "192.0.2.1";

    @BeforeEach
    void createNamespace() {
        assumeTrue(LibC.geteuid() == 0, "needs root to create network namespaces");
        Command.addNamespace(NS);
        Command.run("ip", "-n", NS, "link", "add", "vnl0", "type", "veth", "peer", "name", "vnl1");
        Command.run("ip", "-n", NS, "addr", "add", NS_ADDRESS + "/24", "dev", "vnl0");
        Command.run("ip", "-n", NS, "link", "set", "vnl0", "up");
        Command.run("ip", "-n", NS, "link", "set", "vnl1", "up");
        Command.run("ip", "-n", NS, "link", "set", "lo", "up");
    }

    @AfterEach
    void deleteNamespace() {
        Command.deleteNamespace(NS);
    }

    @Test
    void interfaceInsideIsSeenOnlyThroughRun() {
        try (NetNamespace ns = NetNamespace.named(NS)) {
            int inside = Interfaces.index(ns, "vnl0");
            assertTrue(inside > 0);
            assertEquals(0, LibC.ifNameToIndex("vnl0"), "vnl0 must not exist in the root namespace");
            assertEquals("vnl0", Interfaces.name(ns, inside).orElseThrow());
            String shown = Command.run("ip", "-n", NS, "-o", "link", "show", "vnl0");
            assertTrue(shown.startsWith(inside + ": vnl0"), "ip reports a different index: " + shown);
        }
    }

    @Test
    void inodeMatchesWhatProcShows() throws Exception {
        try (NetNamespace ns = NetNamespace.named(NS); NetNamespace here = NetNamespace.current()) {
            long fileInode = (Long) Files.getAttribute(Path.of("/var/run/netns", NS), "unix:ino");
            assertEquals(fileInode, ns.inode());
            assertNotEquals(here.inode(), ns.inode());
            assertEquals(ns.inode(), (long) ns.run(NetNamespace::currentInode));
            assertTrue(here.isCurrent());
            assertTrue(!ns.isCurrent());
        }
    }

    @Test
    void ofPidNamesTheSameNamespaceAsCurrent() {
        try (NetNamespace self = NetNamespace.ofPid(ProcessHandle.current().pid());
                NetNamespace here = NetNamespace.current()) {
            assertEquals(here.inode(), self.inode());
        }
    }

    @Test
    void threadReturnsHomeAfterRunAndAfterAFailingRun() {
        long home = NetNamespace.currentInode();
        try (NetNamespace ns = NetNamespace.named(NS)) {
            ns.execute(() -> assertEquals(ns.inode(), NetNamespace.currentInode()));
            assertEquals(home, NetNamespace.currentInode());

            IllegalStateException thrown = new IllegalStateException("action failed on purpose");
            IllegalStateException seen = assertThrows(IllegalStateException.class, () -> ns.execute(() -> {
                throw thrown;
            }));
            assertSame(thrown, seen);
            assertEquals(home, NetNamespace.currentInode());

            Exception checked = assertThrows(Exception.class, () -> ns.run(() -> {
                throw new Exception("checked failure");
            }));
            assertEquals("checked failure", checked.getMessage());
            assertEquals(home, NetNamespace.currentInode());
        }
    }

    @Test
    void socketsCreatedInsideBelongToTheNamespace() throws Exception {
        try (NetNamespace ns = NetNamespace.named(NS)) {
            InetAddress nsAddress = InetAddress.getByName(NS_ADDRESS);
            // Outside, the address is not local: binding to it fails.
            try (DatagramChannel outside = DatagramChannel.open()) {
                assertThrows(BindException.class, () -> outside.bind(new InetSocketAddress(nsAddress, 0)));
            }
            // A socket opened inside can bind to it, and keeps working after the thread is back home.
            try (DatagramSocket receiver = ns.run(() -> new DatagramSocket(new InetSocketAddress(nsAddress, 0)));
                    DatagramSocket sender = ns.run(() -> new DatagramSocket())) {
                receiver.setSoTimeout(5_000);
                sender.send(new DatagramPacket(new byte[] {42}, 1, receiver.getLocalSocketAddress()));
                DatagramPacket got = new DatagramPacket(new byte[8], 8);
                receiver.receive(got);
                assertEquals(1, got.getLength());
                assertEquals(42, got.getData()[0]);
            }
        }
    }

    @Test
    void refusesVirtualThreads() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (NetNamespace ns = NetNamespace.named(NS)) {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    ns.run(() -> 1);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.join();
        }
        assertTrue(failure.get() instanceof WrongThreadException, "got " + failure.get());
        assertTrue(failure.get().getMessage().contains("virtual thread"), failure.get().getMessage());
    }

    @Test
    void missingNamespaceSaysHowToCreateIt() {
        NetNamespaceException e = assertThrows(NetNamespaceException.class, () -> NetNamespace.named("vnl-missing"));
        assertEquals("network namespace 'vnl-missing' not found: no /var/run/netns/vnl-missing;"
                + " create it with 'ip netns add vnl-missing'", e.getMessage());
    }

    @Test
    void missingInterfaceNamesTheNamespace() {
        try (NetNamespace ns = NetNamespace.named(NS)) {
            NetNamespaceException e = assertThrows(NetNamespaceException.class, () -> Interfaces.index(ns, "vnl9"));
            assertEquals("no network interface 'vnl9' in network namespace 'vnl-a';"
                    + " list its interfaces with 'ip -n vnl-a link'", e.getMessage());
        }
    }

    @Test
    void listShowsNamedNamespaces() {
        assertTrue(NetNamespace.list().contains(NS), NetNamespace.list().toString());
    }

    @Test
    void handleOutlivesTheName() throws SocketException {
        try (NetNamespace ns = NetNamespace.named(NS)) {
            long inode = ns.inode();
            Command.deleteNamespace(NS);
            // The descriptor keeps the namespace alive; its interfaces are still there.
            assertEquals(inode, (long) ns.run(NetNamespace::currentInode));
            assertTrue(Interfaces.index(ns, "vnl0") > 0);
        }
    }
}
