package io.vnettracer.bpf.link.tc;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.link.tc.TwoNamespaces.A_IF;
import static io.vnettracer.bpf.link.tc.TwoNamespaces.B;
import static io.vnettracer.bpf.link.tc.TwoNamespaces.B_IF;
import static io.vnettracer.bpf.link.tc.TwoNamespaces.delivered;
import static io.vnettracer.bpf.link.tc.TwoNamespaces.qdiscs;
import static io.vnettracer.bpf.link.tc.TwoNamespaces.tcFilters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.netlink.NetlinkException;
import io.vnettracer.bpf.netns.NetNamespaceException;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.bpf.testing.TestPrograms;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cls_bpf filters under clsact, attached over rtnetlink inside throw-away namespaces. */
class TcLegacyLinkTest {
    private TwoNamespaces net;

    @BeforeEach
    void setUp() {
        Root.assume();
        net = new TwoNamespaces();
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private static Program load(String name, Instructions insns) {
        return Program.load(ProgramSpec.of(name, ProgramType.SCHED_CLS, insns));
    }

    private static Instructions returning(int verdict) {
        return new Assembler().mov64(R0, verdict).exit().assemble();
    }

    @Test
    void countsIngressPacketsWhileAttachedAndLeavesNothingBehind() throws Exception {
        int datagrams = 5;
        try (BpfMap counter = BpfMap.create(MapSpec.array("vnl_count", 8, 1));
                Program prog = load("vnl_count", countEveryPacket(counter));
                DatagramSocket receiver = net.receiverInB(5_000);
                DatagramSocket sender = net.senderInA()) {
            TcLegacyLink link = net.b.run(() -> TcLegacyLink.attach(prog, B_IF, TcDirection.INGRESS, "count"));
            try {
                String shown = tcFilters(B, B_IF, TcDirection.INGRESS);
                assertTrue(shown.contains(link.filterName()) && shown.contains("direct-action"), shown);
                assertTrue(qdiscs(B, B_IF).contains("clsact"));
                assertEquals(List.of(link.filter()), net.b.run(() -> TcLegacyLink.filters(B_IF, TcDirection.INGRESS)));
                for (int i = 0; i < datagrams; i++) {
                    assertTrue(delivered(sender, receiver, (byte) i), "datagram " + i + " passes the counting filter");
                }
                assertTrue(counter.sumLong(0) >= datagrams, "counted " + counter.sumLong(0));
            } finally {
                link.close(); // from the root namespace: the link's socket acts in vnl-b
            }
            assertEquals("", tcFilters(B, B_IF, TcDirection.INGRESS).strip());
            assertFalse(qdiscs(B, B_IF).contains("clsact"), "the clsact qdisc we added is removed with our last filter");
            long before = counter.sumLong(0);
            assertTrue(delivered(sender, receiver, (byte) 99));
            assertEquals(before, counter.sumLong(0), "nothing counts after close");
        }
    }

    @Test
    void egressDropFilterStopsTrafficUntilClosed() throws Exception {
        try (Program drop = load("vnl_drop", returning(PktCls.TC_ACT_SHOT));
                DatagramSocket receiver = net.receiverInB(300);
                DatagramSocket sender = net.senderInA()) {
            assertTrue(delivered(sender, receiver, (byte) 1), "traffic flows before the filter");
            TcLegacyLink link = net.a.run(() -> TcLegacyLink.attach(drop, A_IF, TcDirection.EGRESS, "drop"));
            try {
                for (int i = 0; i < 3; i++) {
                    assertFalse(delivered(sender, receiver, (byte) (10 + i)), "dropped at vnl0 egress");
                }
            } finally {
                link.close();
            }
            assertTrue(delivered(sender, receiver, (byte) 20), "traffic flows again after close");
        }
    }

    @Test
    void leavesAClsactQdiscItDidNotAdd() {
        Shell.run("tc", "-n", B, "qdisc", "add", "dev", B_IF, "clsact");
        try (Program pass = load("vnl_pass", returning(PktCls.TC_ACT_UNSPEC))) {
            net.b.run(() -> TcLegacyLink.attach(pass, B_IF, TcDirection.INGRESS, "pass")).close();
        }
        assertTrue(qdiscs(B, B_IF).contains("clsact"));
        assertEquals("", tcFilters(B, B_IF, TcDirection.INGRESS).strip());
    }

    @Test
    void removesItsQdiscOnlyWithTheLastFilter() {
        try (Program pass = load("vnl_pass", returning(PktCls.TC_ACT_UNSPEC))) {
            TcLegacyLink ingress = net.b.run(() -> TcLegacyLink.attach(pass, B_IF, TcDirection.INGRESS, "in"));
            TcLegacyLink egress = net.b.run(() -> TcLegacyLink.attach(pass, B_IF, TcDirection.EGRESS, "out", 7));
            assertEquals(7, egress.filter().priority());
            assertEquals(PktCls.ETH_P_ALL, egress.filter().protocol());
            ingress.close();
            assertTrue(qdiscs(B, B_IF).contains("clsact"), "egress filter still needs it");
            assertTrue(tcFilters(B, B_IF, TcDirection.EGRESS).contains(egress.filterName()));
            egress.close();
            egress.close(); // closing twice is harmless
            assertFalse(qdiscs(B, B_IF).contains("clsact"));
        }
    }

    @Test
    void closeAfterSomeoneRemovedTheQdiscIsQuiet() {
        try (Program pass = load("vnl_pass", returning(PktCls.TC_ACT_UNSPEC))) {
            TcLegacyLink link = net.b.run(() -> TcLegacyLink.attach(pass, B_IF, TcDirection.INGRESS, "gone"));
            Shell.run("tc", "-n", B, "qdisc", "del", "dev", B_IF, "clsact");
            link.close();
            assertFalse(qdiscs(B, B_IF).contains("clsact"));
        }
    }

    @Test
    void refusalNamesTheRequestTheHookAndTheErrno() {
        // A socket filter is not a SCHED_CLS program: cls_bpf refuses it.
        try (Program wrongType = Program.load(ProgramSpec.of("vnl_sockf", ProgramType.SOCKET_FILTER, returning(0)))) {
            NetlinkException e = assertThrows(NetlinkException.class,
                    () -> net.b.run(() -> TcLegacyLink.attach(wrongType, B_IF, TcDirection.INGRESS, "wrong")));
            assertEquals("RTM_NEWTFILTER", e.command());
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.getMessage().contains("on vnl1 ingress: RTM_NEWTFILTER failed: EINVAL"), e.getMessage());
        }
        assertFalse(qdiscs(B, B_IF).contains("clsact"), "the qdisc added for the failed attach is removed");
    }

    @Test
    void errorsCarryTheKernelsExplanation() {
        int ifindex = io.vnettracer.bpf.netns.Interfaces.index(net.b, B_IF);
        NetlinkException e = assertThrows(NetlinkException.class, () -> net.b.execute(() -> {
            try (TcNetlink netlink = TcNetlink.open()) {
                netlink.deleteClsact(ifindex, B_IF); // there is none yet
            }
        }));
        assertEquals("RTM_DELQDISC", e.command());
        assertFalse(e.kernelMessage().isBlank(), "extended ack text expected in: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("; the kernel says: " + e.kernelMessage()), e.getMessage());
    }

    @Test
    void missingInterfaceNamesTheNamespace() {
        try (Program pass = load("vnl_pass", returning(PktCls.TC_ACT_UNSPEC))) {
            NetNamespaceException e = assertThrows(NetNamespaceException.class,
                    () -> net.b.run(() -> TcLegacyLink.attach(pass, "vnl9", TcDirection.INGRESS, "none")));
            assertTrue(e.getMessage().startsWith("no network interface 'vnl9' in the network namespace net:["
                    + net.b.inode() + "]"), e.getMessage());
        }
    }

    @Test
    void cleanStaleRemovesTheFilterOfAKilledProcessAndKeepsLiveOnes() throws Exception {
        try (Program pass = load("vnl_pass", returning(PktCls.TC_ACT_UNSPEC))) {
            TcLegacyLink mine = net.b.run(() -> TcLegacyLink.attach(pass, B_IF, TcDirection.INGRESS, "alive"));
            String staleName;
            Process child = startChild(B, B_IF, "victim");
            try {
                String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertTrue(line != null && line.startsWith("attached vnt-" + child.pid() + "-"), "child said: " + line);
                staleName = line.substring("attached ".length());
            } finally {
                child.destroyForcibly(); // SIGKILL: the child cannot remove its filter
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            assertTrue(tcFilters(B, B_IF, TcDirection.INGRESS).contains(staleName), "the filter outlived its owner");

            List<TcFilter> removed = net.b.run(() -> TcLegacyLink.cleanStale());
            assertEquals(List.of(staleName), removed.stream().map(TcFilter::name).toList());
            String after = tcFilters(B, B_IF, TcDirection.INGRESS);
            assertFalse(after.contains(staleName), after);
            assertTrue(after.contains(mine.filterName()), "a live owner's filter stays: " + after);
            assertEquals(List.of(), net.b.run(() -> TcLegacyLink.cleanStale(B_IF)));
            mine.close();
        }
    }

    private static Process startChild(String namespace, String ifname, String probe) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StaleFilterOwner.class.getName(), namespace, ifname, probe)
                .redirectErrorStream(true).start();
    }

    /** Counts every packet in element 0 of {@code counter} and lets it go on to later filters. */
    private static Instructions countEveryPacket(BpfMap counter) {
        Assembler a = new Assembler();
        TestPrograms.incrementCounter(a, counter, 0);
        return a.mov64(R0, PktCls.TC_ACT_UNSPEC).exit().assemble();
    }
}
