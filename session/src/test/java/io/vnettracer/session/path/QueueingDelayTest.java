package io.vnettracer.session.path;

import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.testing.BridgedNamespaces;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rate-limited bridge port under load: a TBF qdisc on the port toward B, a bulk UDP stream
 * overfilling it, and a small traced flow behind the bulk. The traced flow's time must go to the
 * segment through that port (from the bridge's egress hook, which runs before the qdisc, to B's
 * interface), and its segment means must add up to its end-to-end mean.
 */
class QueueingDelayTest {
    private static final int PORT = 40900;
    private static final int BULK_PORT = 40901;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theSegmentThroughTheShapedPortDominates(boolean aggregate) throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vtbf", aggregate ? 74 : 76)) {
            Shell.run("ip", "netns", "exec", net.bridgeNamespace, "tc", "qdisc", "add", "dev", net.bPort, "root",
                    "tbf", "rate", "20mbit", "burst", "16kb", "latency", "400ms");
            UdpTraffic traced = new UdpTraffic(300, 5);
            Summary summary;
            try (TracedPath path = aggregate ? TracedPath.aggregating(net, "udp and port " + PORT)
                    : new TracedPath(net, "udp and port " + PORT, IdentityMode.TAG)) {
                Thread bulk = Thread.ofPlatform().start(() -> blast(net, 25_000_000, 600));
                traced.run(net.a, net.b, net.bAddress, PORT, 500);
                bulk.join();
                Thread.sleep(200);
                summary = path.finish();
            }
            assertEquals(300, traced.received, "the queue dropped nothing of the traced flow");
            Summary.Flow flow = summary.flows().stream().filter(f -> f.dport() == PORT).findFirst().orElseThrow();
            assertEquals(300, flow.received());
            List<Summary.Segment> segments = summary.segments().stream()
                    .filter(s -> s.flow().equals(flow.key().toString())).toList();
            Summary.Segment largest = segments.stream().max(Comparator.comparingDouble(Summary.Segment::share)).orElseThrow();
            assertEquals("br_out > b_in", largest.from() + " > " + largest.to(), "segments: " + segments);
            assertTrue(largest.share() > 0.5, "share of the shaped port: " + largest.share());
            double sum = segments.stream().mapToDouble(s -> s.latencyNs().mean()).sum();
            double endToEnd = flow.latencyNs().mean();
            assertTrue(Math.abs(sum - endToEnd) / endToEnd < 0.01, "segment means " + sum + " vs end to end " + endToEnd);
            double shares = segments.stream().mapToDouble(Summary.Segment::share).sum();
            assertEquals(1.0, shares, 1e-9);
            System.out.printf((aggregate ? "aggregate: " : "record: ") + "shaped port: end-to-end mean %.0f us, p99 %d us; through the port %.0f%%%n",
                    endToEnd / 1000, flow.latencyNs().p99() / 1000, largest.share() * 100);
        }
    }

    /** Bulk 1000-byte datagrams from A at {@code bitsPerSecond} for {@code millis} (nobody receives them). */
    private static void blast(BridgedNamespaces net, long bitsPerSecond, long millis) {
        try (NetNamespace a = NetNamespace.named(net.a)) {
            a.execute(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    byte[] payload = new byte[1000];
                    InetSocketAddress to = new InetSocketAddress(net.bAddress, BULK_PORT);
                    long interval = 1_000_000_000L * 8 * (payload.length + 28) / bitsPerSecond;
                    long end = System.nanoTime() + millis * 1_000_000;
                    long next = System.nanoTime();
                    while (next < end) {
                        while (System.nanoTime() < next) {
                            Thread.onSpinWait();
                        }
                        s.send(new DatagramPacket(payload, payload.length, to));
                        next += interval;
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
