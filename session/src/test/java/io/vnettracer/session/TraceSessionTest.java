package io.vnettracer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.link.TcxQuery;
import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceSessionTest {
    private static final int PORT = 40400;
    private static final int CLOSED_PORT = 40401;

    @BeforeEach
    void root() {
        Root.assume();
    }

    /** Counts events to our ports per probe; other traffic (IPv6 neighbour discovery) is ignored. */
    private static final class Counting implements EventConsumer {
        final AtomicLongArray packets = new AtomicLongArray(8);
        final AtomicLongArray drops = new AtomicLongArray(8);
        volatile long dropReason;

        @Override
        public void onEvent(EventView e) {
            if (e.dstPort() == PORT && e.kind() == EventKind.PACKET) {
                packets.incrementAndGet(e.probeId());
            }
            if (e.dstPort() == CLOSED_PORT && e.kind() == EventKind.DROP) {
                drops.incrementAndGet(e.probeId());
                dropReason = e.extra();
            }
        }
    }

    private static ProbeDefinition probe(String name, String spec) {
        return ProbeDefinition.recording(name, ProbeSpecParser.parse(spec));
    }

    @Test
    void tracepointSocketAndDropProbesSeeEveryPacketOnce() throws Exception {
        try (VethPair net = new VethPair("vses", 40);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, PORT))) {
            TracingScript script = new TracingScript(List.of(
                    probe("rx", "kernel:netif_receive_skb:" + net.outer),
                    probe("app", "sock::recv"),
                    probe("drops", "drops")), null, IdentityMode.FINGERPRINT);
            Counting counting = new Counting();
            int sent;
            int dropped;
            try (TraceSession session = TraceSession.start(script, FilterCompiler.NONE, counting, SessionOptions.DEFAULT)) {
                sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 100);
                receiver.setSoTimeout(2000);
                byte[] buf = new byte[64];
                for (int i = 0; i < sent; i++) {
                    receiver.receive(new DatagramPacket(buf, buf.length));
                }
                // Nobody listens here: each datagram is freed with reason NO_SOCKET.
                dropped = Traffic.udpFromNamespace(net.namespace, net.outerAddress, CLOSED_PORT, 20);
                Thread.sleep(50);
                List<ProbeStatus> status = session.status();
                assertEquals(3, status.size());
                status.forEach(s -> assertEquals(0, s.lost(), s.name() + " lost events"));
                assertEquals(0, session.undecodableEvents());
            }
            assertEquals(sent, counting.packets.get(0), "netif_receive_skb on " + net.outer);
            assertEquals(sent, counting.packets.get(1), "copied to the application");
            assertTrue(counting.drops.get(2) >= dropped, "drops seen " + counting.drops.get(2) + " of " + dropped);
            String reason = Btf.kernel().enumeration("skb_drop_reason").namesByValue().get(counting.dropReason);
            assertEquals("SKB_DROP_REASON_NO_SOCKET", reason);
        }
    }

    @Test
    void aProbeOnAMissingInterfaceAttachesNothingAndSaysWhich() {
        try (VethPair net = new VethPair("vses", 41)) {
            TracingScript script = new TracingScript(List.of(
                    probe("ok", "kernel:netif_receive_skb:" + net.outer),
                    probe("bad", "kernel:netif_receive_skb:" + net.namespace + "/nosuch0")), null, IdentityMode.FINGERPRINT);
            SessionException e = assertThrows(SessionException.class,
                    () -> TraceSession.start(script, FilterCompiler.NONE, ev -> { }, SessionOptions.DEFAULT));
            assertTrue(e.getMessage().contains("probe 'bad'"), e.getMessage());
            assertTrue(e.getMessage().contains("nosuch0"), e.getMessage());
            assertTrue(e.getMessage().contains(net.namespace), e.getMessage());
            assertEquals(0, TcxQuery.of(LibC.ifNameToIndex(net.outer), TcxDirection.INGRESS).count());
        }
    }

    @Test
    void aProbeThisKernelCannotAttachIsRefusedAndNothingStays() throws Exception {
        int before = bpfDescriptors();
        // A tracepoint this kernel does not have (the parser only admits known names; a spec built
        // by hand stands in for one from a newer kernel).
        TracingScript script = new TracingScript(List.of(
                probe("ok", "drops"),
                new ProbeDefinition("future", new io.vnettracer.probe.spec.ProbeSpec.Kernel("net_dev_teleport", null, null),
                        null, java.util.EnumSet.of(io.vnettracer.probe.script.Action.RECORD), 1)), null, IdentityMode.FINGERPRINT);
        SessionException e = assertThrows(SessionException.class,
                () -> TraceSession.start(script, FilterCompiler.NONE, ev -> { }, SessionOptions.DEFAULT));
        assertTrue(e.getMessage().contains("probe 'future'"), e.getMessage());
        assertTrue(e.getMessage().contains("net_dev_teleport"), e.getMessage());
        assertEquals(before, bpfDescriptors(), "no program, map or link of the attempt is left open");
    }

    /** Open descriptors of this process that are bpf objects (programs, maps, links). */
    private static int bpfDescriptors() throws java.io.IOException {
        int n = 0;
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            for (var fd : fds.toList()) {
                try {
                    if (java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("anon_inode:bpf")) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // closed while listing
                }
            }
        }
        return n;
    }

    @Test
    void aMissingNamespaceIsNamed() {
        TracingScript script = new TracingScript(List.of(probe("x", "sock:vses-nowhere:recv")), null, IdentityMode.FINGERPRINT);
        SessionException e = assertThrows(SessionException.class,
                () -> TraceSession.start(script, FilterCompiler.NONE, ev -> { }, SessionOptions.DEFAULT));
        assertTrue(e.getMessage().contains("network namespace 'vses-nowhere' not found"), e.getMessage());
    }

    @Test
    void samplingAndRemovalChangeALiveSessionWithoutTouchingOtherProbes() throws Exception {
        try (VethPair net = new VethPair("vses", 42);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, PORT))) {
            TracingScript script = new TracingScript(List.of(
                    probe("rx", "kernel:netif_receive_skb:" + net.outer),
                    probe("app", "sock::recv")), null, IdentityMode.FINGERPRINT);
            Counting counting = new Counting();
            try (TraceSession session = TraceSession.start(script, FilterCompiler.NONE, counting, SessionOptions.DEFAULT)) {
                long took = session.setSample("rx", 1_000_000);
                assertTrue(took < 10_000, "a sample change is a map update: " + took + " us");
                int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 100);
                receiver.setSoTimeout(2000);
                for (int i = 0; i < sent; i++) {
                    receiver.receive(new DatagramPacket(new byte[64], 64));
                }
                session.removeProbe("rx");
                int more = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 50);
                for (int i = 0; i < more; i++) {
                    receiver.receive(new DatagramPacket(new byte[64], 64));
                }
                Thread.sleep(50);
                assertTrue(counting.packets.get(0) < 5, "1 in a million sampled: " + counting.packets.get(0));
                assertEquals(sent + more, counting.packets.get(1) , "the other probe lost nothing");
            }
        }
    }
}
