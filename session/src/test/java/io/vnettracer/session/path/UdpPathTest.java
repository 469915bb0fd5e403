package io.vnettracer.session.path;

import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.TraceSession;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * UDP across the reference path with a random tenth of the datagrams dropped by an iptables
 * {@code statistic} rule in the receiver: the tracer's sent, received and lost must equal the
 * sender's count, the application's count and the rule's counter exactly, the loss must sit in the
 * segment that holds the rule with the kernel's reason, and the throughput must match the traffic.
 */
class UdpPathTest {
    private static final int PORT = 40500;
    private static final int COUNT = 3000;
    private static final int RATE = 5000;

    @BeforeEach
    void root() {
        Root.assume();
    }

    /** How the path is traced: record mode with either identity, or aggregate mode (in the kernel). */
    enum Mode { RECORD_TAG, RECORD_FINGERPRINT, AGGREGATE }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void countsLossAndThroughputEqualTheGroundTruth(Mode mode) throws Exception {
        IdentityMode identity = mode == Mode.RECORD_TAG ? IdentityMode.TAG : IdentityMode.FINGERPRINT;
        try (BridgedNamespaces net = new BridgedNamespaces("vpth", 71 + mode.ordinal())) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            UdpTraffic traffic = new UdpTraffic(COUNT, 42);
            var snmpBefore = io.vnettracer.probe.testing.UdpSnmp.of(net.b);
            Summary summary;
            TraceSession.SocketPairing pairing;
            try (TracedPath path = mode == Mode.AGGREGATE ? TracedPath.aggregating(net, "udp and port " + PORT)
                    : new TracedPath(net, "udp and port " + PORT, identity)) {
                traffic.run(net.a, net.b, net.bAddress, PORT, RATE);
                Thread.sleep(200);
                summary = path.finish();
                pairing = path.session.socketPairing();
            }
            long iptablesDrops = iptablesPackets(net.b);
            // A receiver starved of CPU overflows its socket buffer: the kernel counts those too.
            long bufferDrops = io.vnettracer.probe.testing.UdpSnmp.delta(snmpBefore,
                    io.vnettracer.probe.testing.UdpSnmp.of(net.b), "Udp.RcvbufErrors");

            assertEquals(0, traffic.corrupted, "the application got exactly the bytes sent");
            assertEquals(COUNT, traffic.received + iptablesDrops + bufferDrops, "ground truth adds up");
            assertTrue(iptablesDrops > 100, "the rule dropped " + iptablesDrops);

            Summary.Flow flow = only(summary.flows(), "udp " + net.aAddress + " > " + net.bAddress);
            assertEquals(TracedPath.PATH, flow.path());
            String context = " (joiner: " + summary.counters() + "; probes: " + summary.probes() + ")";
            assertEquals(COUNT, flow.sent(), "sent" + context);
            assertEquals(traffic.received, flow.received(), "received" + context);
            assertEquals(iptablesDrops + bufferDrops, flow.lost(), "lost" + context);
            double rate = traffic.receivedRateBps();
            assertTrue(Math.abs(flow.throughputBps() - rate) / rate < 0.02,
                    "throughput " + flow.throughputBps() + " vs " + rate + " (app: " + traffic.receivedIpBytes + " bytes in "
                            + (traffic.lastReceivedAt - traffic.firstReceivedAt) + " ns)");

            for (Summary.Segment s : summary.segments()) {
                long expected = s.from().equals("b_in") && s.to().equals("app_rx") ? iptablesDrops + bufferDrops : 0;
                assertEquals(expected, s.lost(), s.from() + " > " + s.to());
            }
            Summary.Drop drop = summary.drops().stream().filter(d -> d.probeOrPoint().equals("b_in > app_rx")
                            && d.reason().equals("SKB_DROP_REASON_NETFILTER_DROP"))
                    .findFirst().orElseThrow(() -> new AssertionError("no netfilter drop entry: " + summary.drops()));
            assertEquals(iptablesDrops, drop.count());

            assertEquals(0, summary.eventsLost());
            System.out.println(mode + ": " + flow + "\n  segments " + summary.segments() + "\n  drops " + summary.drops()
                    + "\n  aggregation " + summary.aggregation());
            assertEquals(mode == Mode.AGGREGATE, summary.aggregation() != null, "figures from the kernel in aggregate mode only");
            if (mode == Mode.AGGREGATE) {
                summary.aggregation().counters().forEach((name, n) -> {
                    if (!name.equals("DUPLICATES")) assertEquals(0, n, name);
                });
                assertTrue(flow.latencyNs().p50() > 0 && flow.latencyNs().p50() <= flow.latencyNs().p99(), "latency " + flow.latencyNs());
            }
            assertEquals(0, pairing.unpairedReads(), "every read paired with a queued datagram");
            assertEquals(traffic.received, pairing.paired(), "one paired read per datagram received");
            assertEquals(bufferDrops, pairing.refused(), "datagrams the full socket refused were taken back");
            assertEquals(0, pairing.unmatchedRefusals());
            assertEquals(0, pairing.missing());
            assertEquals(0, pairing.unread(), "every datagram left in the socket's queue was read");
        }
    }

    private static Summary.Flow only(List<Summary.Flow> flows, String prefix) {
        List<Summary.Flow> matching = flows.stream()
                .filter(f -> (f.proto() + " " + f.src() + " > " + f.dst()).equals(prefix)).toList();
        assertEquals(1, matching.size(), "flows: " + flows);
        return matching.get(0);
    }

    private static long iptablesPackets(String namespace) {
        String out = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-x", "-n");
        Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP", Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            throw new AssertionError("no DROP rule in:\n" + out);
        }
        return Long.parseLong(m.group(1));
    }
}
