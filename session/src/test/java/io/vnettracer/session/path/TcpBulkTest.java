package io.vnettracer.session.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.TraceSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * iperf3 TCP bulk transfers across the reference path, checked against what iperf3 and iptables
 * count (ground truth from outside): with no retransmission nothing is lost and every segment sent
 * is received at the reading application; with random drops on the receiver, the tracer's netfilter
 * drops are exactly iptables' count, in the segment where iptables runs, and every loss there is a
 * drop the kernel reported (normally iptables' alone).
 */
class TcpBulkTest {
    private static final int PORT = 5201;
    /** A fresh subnet per case, so that no case meets a neighbour entry of another. */
    private static int subnet;
    private static final Pattern RETRANSMITS = Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*\"retransmits\"\\s*:\\s*(\\d+)");

    @BeforeEach
    void tools() {
        Root.assume();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "iperf3 is needed (scripts/setup installs it)");
    }

    /**
     * Offloads: "tso" is veth's default (the sender's stack builds GSO skbs, which cross veth and
     * the bridge whole); "tso+gro" adds GRO on the receiver's interface; "segments+gro" turns TSO
     * and GSO off at the sender, so each skb is one segment, and GRO on at the receiver, which may
     * then merge segments the sender sent apart.
     */
    /** Record mode with a tag or a fingerprint, or aggregate mode (the kernel adds up; fingerprints). */
    enum Mode {
        TAG, FINGERPRINT, AGGREGATE;

        IdentityMode identity() {
            return this == TAG ? IdentityMode.TAG : IdentityMode.FINGERPRINT;
        }

        TracedPath trace(BridgedNamespaces net, String filter) {
            return this == AGGREGATE ? TracedPath.aggregating(net, filter) : new TracedPath(net, filter, identity());
        }
    }

    @ParameterizedTest(name = "{0} at {1}, {2}")
    @CsvSource({"TAG, 200M, tso", "FINGERPRINT, 200M, tso", "TAG, 1G, tso", "FINGERPRINT, 1G, tso",
            "TAG, 1G, tso+gro", "FINGERPRINT, 1G, tso+gro", "AGGREGATE, 1G, tso", "AGGREGATE, 1G, tso+gro"})
    void withoutRetransmissionsNothingIsLost(Mode identity, String rate, String offloads) throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vbulk", 80 + subnet++)) {
            if (offloads.contains("gro")) {
                Shell.run("ip", "netns", "exec", net.b, "ethtool", "-K", net.bInner, "gro", "on");
            }
            if (offloads.startsWith("segments")) {
                Shell.run("ip", "netns", "exec", net.a, "ethtool", "-K", net.aInner, "tso", "off", "gso", "off");
            }
            Summary summary;
            long retransmits;
            TraceSession.TcpPairing pairing;
            try (TracedPath path = identity.trace(net, "tcp and dst port " + PORT)) {
                retransmits = iperf3(net, rate);
                Thread.sleep(300);
                summary = path.finish();
                pairing = path.session.tcpPairing();
            }
            String context = identity + " " + rate + " " + offloads + ": iperf3 retransmits " + retransmits + ", " + pairing
                    + ", events lost " + summary.eventsLost() + ", flows " + summary.flows() + ", drops " + summary.drops()
                    + ", segments " + summary.segments() + ", probes " + summary.probes();
            assumeTrue(retransmits == 0, "iperf3 retransmitted (the check below holds only without): " + context);
            List<Summary.Flow> flows = toServer(summary);
            assertEquals(2, flows.size(), "iperf3's control and data connections: " + context);
            for (Summary.Flow f : flows) {
                assertEquals(0, f.lost(), "nothing lost: " + context);
                assertEquals(0, f.unaccounted(), "nothing unaccounted: " + context);
                assertEquals(0, f.retransmits(), "no retransmission, as iperf3 says: " + context);
                assertEquals(0, f.inFlight(), "nothing in flight after the transfer: " + context);
                assertEquals(f.sent(), f.received(), "every segment sent reached the reader: " + context);
            }
            Summary.Flow data = flows.stream().max(java.util.Comparator.comparingLong(Summary.Flow::sent)).orElseThrow();
            assertTrue(data.sent() > 100, "the data connection carried the transfer: " + context);
            assertEquals(0, pairing.undelivered(), "no segment left undelivered at the end: " + context);
            assertEquals(0, summary.eventsLost(), "no ring loss: " + context);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TAG", "FINGERPRINT", "AGGREGATE"})
    void randomDropsAreLostExactlyWhereIptablesDropsThem(Mode identity) throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vbdrop", 96 + identity.ordinal())) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", Integer.toString(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.01", "-j", "DROP");
            Summary summary;
            long retransmits;
            TraceSession.TcpPairing pairing;
            try (TracedPath path = identity.trace(net, "tcp and dst port " + PORT)) {
                retransmits = iperf3(net, "200M");
                Thread.sleep(300);
                summary = path.finish();
                pairing = path.session.tcpPairing();
            }
            long dropped = iptablesDrops(net.b);
            String context = identity + ": iptables dropped " + dropped + ", iperf3 retransmits " + retransmits + ", "
                    + pairing + ", flows " + summary.flows() + ", drops " + summary.drops();
            assertTrue(dropped > 0, "the rule dropped something: " + context);
            long lost = toServer(summary).stream().mapToLong(Summary.Flow::lost).sum();
            long atNetfilter = dropsAt(summary, "SKB_DROP_REASON_NETFILTER_DROP");
            assertEquals(dropped, atNetfilter, "iptables' drops, each in b_in > app_rx with netfilter's reason: " + context);
            // Anything else lost there was dropped by the receiving kernel too (TCP under memory
            // pressure, say): a reason for every loss, none unknown.
            assertEquals(dropsAt(summary, null), lost, "every loss is a drop the kernel reported: " + context);
            assertEquals(0, dropsAt(summary, "unknown: no drop event seen"), "no loss without a drop event: " + context);
            if (lost != dropped) {
                System.out.println("the receiving kernel dropped more than iptables: " + context);
            }
            long retransmitted = toServer(summary).stream().mapToLong(Summary.Flow::retransmits).sum();
            // Aggregate mode does not tell retransmissions (no per-socket sequence tracking in the kernel).
            if (identity != Mode.AGGREGATE) assertTrue(retransmitted >= dropped, "retransmits at least the drops: " + context);
            assertEquals(0, toServer(summary).stream().mapToLong(Summary.Flow::unaccounted).sum(), "nothing unaccounted: " + context);
            assertEquals(0, summary.eventsLost(), "no ring loss: " + context);
        }
    }

    /** Drops listed in the segment where iptables runs, with {@code reason} (null: any). */
    private static long dropsAt(Summary summary, String reason) {
        return summary.drops().stream()
                .filter(d -> d.probeOrPoint().equals("b_in > app_rx") && (reason == null || d.reason().equals(reason)))
                .mapToLong(Summary.Drop::count).sum();
    }

    private static List<Summary.Flow> toServer(Summary summary) {
        return summary.flows().stream().filter(f -> f.proto().equals("tcp") && f.dport() == PORT).toList();
    }

    /** Runs an iperf3 transfer from A to B at {@code rate} for 2 s; returns its retransmissions. */
    private static long iperf3(BridgedNamespaces net, String rate) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", net.b, "iperf3", "-s", "-1", "-p", Integer.toString(PORT),
                "-B", net.bAddress).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            String json = Shell.run("ip", "netns", "exec", net.a, "iperf3", "-c", net.bAddress, "-p", Integer.toString(PORT),
                    "-t", "2", "-b", rate, "--json");
            Matcher m = RETRANSMITS.matcher(json);
            assertTrue(m.find(), "iperf3's JSON has sum_sent.retransmits: " + json);
            return Long.parseLong(m.group(1));
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    /** The packets iptables' DROP rule in the namespace's INPUT chain counted. */
    private static long iptablesDrops(String namespace) {
        String listing = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-x", "-n");
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[2].equals("DROP")) {
                return Long.parseLong(f[0]);
            }
        }
        throw new AssertionError("no DROP rule in " + namespace + ": " + listing);
    }
}
