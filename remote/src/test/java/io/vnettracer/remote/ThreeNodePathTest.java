package io.vnettracer.remote;

import io.vnettracer.journey.clock.ClockOffset;
import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpSnmp;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.collect.Collector;
import io.vnettracer.remote.collect.CollectorState;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three agents, each one node of the bridged path (A = vm1, the bridge's namespace = host, B =
 * vm2), with artificial clock offsets on two of them; one collector; UDP from A to B with a tenth
 * dropped by iptables in B. A single-process session traces the same traffic at the same time.
 * The collector must give the ground truth's sent/received/lost, recover the offsets, and the
 * reference's segment means within the clock uncertainty plus {@link #TOLERANCE_NANOS}.
 */
class ThreeNodePathTest {
    private static final int PORT = 40710;
    private static final int COUNT = 3000;
    private static final int RATE = 5000;
    private static final long HOST_OFFSET = -3_000_000L;
    private static final long VM2_OFFSET = 7_250_000L;
    /** Two tracers' programs on one hook read the clock a few hundred ns apart; means of 3000 agree far closer than this. */
    private static final long TOLERANCE_NANOS = 2_000;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void joinsTheFlowAcrossThreeAgentsLikeOneSession() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1", "host", "vm2");
        try (BridgedNamespaces net = new BridgedNamespaces("vtag", 91);
             AgentServer vm1 = agent("vm1", tls, 0);
             AgentServer host = agent("host", tls, HOST_OFFSET);
             AgentServer vm2 = agent("vm2", tls, VM2_OFFSET)) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            String filter = "udp and port " + PORT;
            String[][] probes = {
                {"vm1", "app_tx", "sock:" + net.a + ":send"},
                {"vm1", "a_out", "dev:" + net.a + "/" + net.aInner + ":egress"},
                {"host", "br_in", "dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress"},
                {"host", "br_out", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress"},
                {"vm2", "b_in", "dev:" + net.b + "/" + net.bInner + ":ingress"},
                {"vm2", "app_rx", "sock:" + net.b + ":recv"},
                {"vm2", "drops", "drops:" + net.b},
            };
            StringBuilder remoteScript = new StringBuilder("filter " + filter + "\n");
            StringBuilder localScript = new StringBuilder("filter " + filter + "\n");
            for (String[] p : probes) {
                remoteScript.append("probe ").append(p[0]).append('/').append(p[1]).append(' ').append(p[2]).append('\n');
                localScript.append("probe ").append(p[1]).append(' ').append(p[2]).append('\n');
            }
            Reference reference = new Reference(ScriptParser.parse(localScript.toString(), "reference"));
            List<String> messages = new ArrayList<>();
            Collector collector = Collector.start(ScriptParser.parse(remoteScript.toString(), "remote"),
                    new Collector.Options(List.of(new Collector.Agent("vm1", "127.0.0.1:" + vm1.port()),
                            new Collector.Agent("host", "127.0.0.1:" + host.port()),
                            new Collector.Agent("vm2", "127.0.0.1:" + vm2.port())),
                            new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR), new CollectorState(tmp.resolve("state")), null),
                    messages::add);
            Collector.Result result;
            Summary local;
            UdpTraffic traffic = new UdpTraffic(COUNT, 17).withReceiveBuffer(4 << 20);
            Map<String, Long> snmpBefore = UdpSnmp.of(net.b);
            long started = System.nanoTime();
            try {
                traffic.run(net.a, net.b, net.bAddress, PORT, RATE);
                Thread.sleep(300);
            } finally {
                result = collector.finish();
                local = reference.finish();
            }
            long tracedNanos = System.nanoTime() - started;
            long iptablesDrops = iptablesPackets(net.b);
            long bufferDrops = UdpSnmp.delta(snmpBefore, UdpSnmp.of(net.b), "Udp.RcvbufErrors");
            assertEquals(COUNT, traffic.received + iptablesDrops + bufferDrops, "ground truth adds up");
            assertTrue(iptablesDrops > 100, "the rule dropped " + iptablesDrops);

            Summary remote = result.summary();
            String context = " (messages " + messages + "; nodes " + result.nodes() + "; joiner " + remote.counters()
                    + "; probes " + remote.probes() + ")";
            Summary.Flow flow = only(remote, net);
            assertEquals(List.of("vm1/app_tx", "vm1/a_out", "host/br_in", "host/br_out", "vm2/b_in", "vm2/app_rx"), flow.path(), context);
            assertEquals(COUNT, flow.sent(), "sent" + context);
            assertEquals(traffic.received, flow.received(), "received" + context);
            assertEquals(iptablesDrops + bufferDrops, flow.lost(), "lost" + context);
            assertEquals(0, remote.eventsLost(), "no record lost between kernel and collector" + context);

            Map<String, ClockOffset> clocks = new java.util.HashMap<>();
            for (Collector.NodeReport n : result.nodes()) {
                clocks.put(n.node(), n.clock());
            }
            assertOffset(0, clocks.get("vm1"));
            assertOffset(HOST_OFFSET, clocks.get("host"));
            assertOffset(VM2_OFFSET, clocks.get("vm2"));

            Summary.Flow localFlow = only(local, net);
            assertEquals(localFlow.sent(), flow.sent());
            assertEquals(localFlow.received(), flow.received());
            assertEquals(localFlow.lost(), flow.lost());
            StringBuilder report = new StringBuilder();
            for (Summary.Segment s : local.segments()) {
                Summary.Segment r = remote.segments().stream()
                        .filter(x -> x.from().endsWith("/" + s.from()) && x.to().endsWith("/" + s.to()))
                        .findFirst().orElseThrow(() -> new AssertionError("no remote segment " + s.from() + " > " + s.to()
                                + " in " + remote.segments()));
                long allowed = clocks.get(node(r.from())).uncertaintyNanos() + clocks.get(node(r.to())).uncertaintyNanos()
                        + TOLERANCE_NANOS;
                double diff = Math.abs(r.latencyNs().mean() - s.latencyNs().mean());
                report.append(String.format("%s > %s: single %.0f ns, remote %.0f ns, |diff| %.0f ns, allowed %d ns%n",
                        r.from(), r.to(), s.latencyNs().mean(), r.latencyNs().mean(), diff, allowed));
                assertEquals(s.packets(), r.packets(), r.from() + " > " + r.to() + " packets");
                assertEquals(s.lost(), r.lost(), r.from() + " > " + r.to() + " lost");
                assertTrue(diff <= allowed, "segment means differ beyond the clock uncertainty:\n" + report);
            }
            long records = result.nodes().stream().mapToLong(Collector.NodeReport::records).sum();
            System.out.printf("three-node path: sent %d received %d lost %d (iptables %d, buffer %d)%n", flow.sent(),
                    flow.received(), flow.lost(), iptablesDrops, bufferDrops);
            for (Collector.NodeReport n : result.nodes()) {
                System.out.printf("  %s: offset %d ns ± %d ns, %d batches, %d records, ack mean %d us max %d us%n", n.node(),
                        n.clock().offsetNanos(), n.clock().uncertaintyNanos(), n.batches(), n.records(),
                        n.meanAckNanos() / 1000, n.maxAckNanos() / 1000);
            }
            System.out.printf("  %d records in %.1f s%n%s", records, tracedNanos / 1e9, report);
        }
    }

    private static String node(String probe) {
        return probe.substring(0, probe.indexOf('/'));
    }

    private static void assertOffset(long injected, ClockOffset clock) {
        long error = Math.abs(clock.offsetNanos() - injected);
        assertTrue(error <= clock.uncertaintyNanos(), "offset " + clock.offsetNanos() + " ± " + clock.uncertaintyNanos()
                + " does not hold the injected " + injected);
    }

    static AgentServer agent(String node, Path tls, long clockOffset) {
        return AgentServer.start(new AgentConfig(node, new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, clockOffset, SessionOptions.DEFAULT), line -> System.out.println(node + ": " + line));
    }

    private static Summary.Flow only(Summary summary, BridgedNamespaces net) {
        List<Summary.Flow> flows = summary.flows().stream()
                .filter(f -> f.proto().equals("udp") && f.src().equals(net.aAddress) && f.dst().equals(net.bAddress)).toList();
        assertEquals(1, flows.size(), "flows: " + summary.flows());
        return flows.get(0);
    }

    static long iptablesPackets(String namespace) {
        String out = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-x", "-n");
        Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP", Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            throw new AssertionError("no DROP rule in:\n" + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** The single-process trace: one session, one joiner, as `vnettracer trace` runs it. */
    private static final class Reference {
        final JourneyJoiner joiner;
        final TraceSession session;

        Reference(TracingScript script) {
            ProbeCatalog catalog = new ProbeCatalog();
            List<ProbeDefinition> all = script.probes();
            for (int id = 0; id < all.size(); id++) {
                ProbeDefinition p = all.get(id);
                if (p.spec() instanceof ProbeSpec.Drops) {
                    catalog.dropProbe(id, p.name(), p.spec().text());
                } else {
                    catalog.probe(id, p.name(), p.spec().text());
                }
            }
            var reasons = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
            joiner = new JourneyJoiner(catalog, JoinerConfig.defaults().withDropReasonNames(c -> reasons.get((long) c)));
            session = TraceSession.start(script, FilterCompiler.PCAP, joiner::onEvent, SessionOptions.DEFAULT);
        }

        Summary finish() {
            session.close();
            joiner.flush();
            return joiner.summary(session::lostEvents);
        }
    }
}
