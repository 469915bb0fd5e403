package io.vnettracer.session.path;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures how often packet fingerprints collide, with the tags as ground truth: real datagrams are
 * tagged at the sender, and at the bridge each event carries both its tag and the header fields
 * the fingerprint is made of. Two packets with different tags and one fingerprint are a collision.
 * The figures are printed for docs/IDENTITY.md.
 */
class FingerprintCollisionTest {
    private static final int PORT = 41100;
    private static final int COUNT = 5000;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void fingerprintsOfRealUdpTrafficDoNotCollide() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vfpc", 78)) {
            double random = collisionRate(net, PORT, new Random(1)::nextBytes, "random payloads");
            // Byte-identical datagrams still differ in their IPv4 identification: the kernel numbers
            // them per destination, so they only collide once 65536 of them are in flight at once.
            double identical = collisionRate(net, PORT + 1, (p) -> { }, "identical payloads");
            assertEquals(0.0, random, "datagrams with distinct 8-byte payload prefixes");
            assertEquals(0.0, identical, "identical datagrams told apart by their IP identification");
        }
    }

    private interface Payloads {
        void fill(byte[] payload);
    }

    /** Share of packets whose fingerprint another packet (another tag) of the same run also has. */
    private static double collisionRate(BridgedNamespaces net, int port, Payloads payloads, String what) throws Exception {
        Map<Long, Long> tagByFingerprint = new HashMap<>();
        long[] colliding = new long[1];
        long[] tagged = new long[1];
        TracingScript script = new TracingScript(List.of(
                ProbeDefinition.recording("a_out", ProbeSpecParser.parse("dev:" + net.a + "/" + net.aInner + ":egress")),
                ProbeDefinition.recording("br_in", ProbeSpecParser.parse("dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress"))),
                "udp and dst port " + port, IdentityMode.TAG);
        try (TraceSession session = TraceSession.start(script, FilterCompiler.PCAP, e -> {
            if (e.probeId() != 1 || e.tag() == 0) {
                return;
            }
            tagged[0]++;
            Long previous = tagByFingerprint.putIfAbsent(e.fingerprint(), e.tag());
            if (previous != null && previous != e.tag()) {
                colliding[0]++;
            }
        }, SessionOptions.DEFAULT);
             NetNamespace a = NetNamespace.named(net.a)) {
            a.execute(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    byte[] payload = new byte[64];
                    InetSocketAddress to = new InetSocketAddress(net.bAddress, port);
                    for (int i = 0; i < COUNT; i++) {
                        payloads.fill(payload);
                        s.send(new DatagramPacket(payload, payload.length, to));
                        if (i % 200 == 0) {
                            Thread.sleep(1);
                        }
                    }
                }
            });
            Thread.sleep(100);
        }
        assertEquals(COUNT, tagged[0], "every datagram was tagged and seen");
        double rate = (double) colliding[0] / COUNT;
        System.out.printf("fingerprint collisions, UDP from one unconnected socket, %s: %d of %d packets (%.4f%%)%n",
                what, colliding[0], COUNT, rate * 100);
        return rate;
    }
}
