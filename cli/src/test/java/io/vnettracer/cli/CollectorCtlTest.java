package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.cli.control.CollectorLiveProbes;
import io.vnettracer.cli.control.ControlHandler;
import io.vnettracer.cli.control.ControlServer;
import io.vnettracer.cli.control.RunDirectory;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.collect.Collector;
import io.vnettracer.remote.collect.CollectorState;
import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vnettracer ctl} against a collector's control socket, three agents in this JVM on the
 * bridged path (A = vm1, the bridge namespace = host, B = vm2): a live {@code sample} and a live
 * {@code add} go through the collector to the right agent, and the added probe's records are
 * joined under its {@code NODE/NAME} in the final summary (none counted as an unknown probe).
 */
class CollectorCtlTest {
    private static final int PORT = 40731;
    private static final int BEFORE = 400;
    private static final int AFTER = 400;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    private CommandLineRun ctl(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "ctl";
        all[1] = "--run-dir";
        all[2] = tmp.resolve("run").toString();
        all[3] = "--pid";
        all[4] = String.valueOf(ProcessHandle.current().pid());
        System.arraycopy(args, 0, all, 5, args.length);
        CommandLineRun run = CommandLineRun.of(all);
        System.out.print("ctl " + String.join(" ", args) + " -> " + run.out() + run.err());
        return run;
    }

    @Test
    void sampleAndAddThroughTheCollectorReachTheRightAgent() throws Exception {
        Path tls = tmp.resolve("tls");
        CertificateAuthority ca = CertificateAuthority.create(tls, "test CA");
        for (String n : List.of("vm1", "host", "vm2")) {
            ca.issueAgent(tls, n);
        }
        ca.issueCollector(tls, TlsFiles.DEFAULT_COLLECTOR);
        try (BridgedNamespaces net = new BridgedNamespaces("vtlv", 148);
             AgentServer vm1 = agent("vm1", tls);
             AgentServer host = agent("host", tls);
             AgentServer vm2 = agent("vm2", tls)) {
            String script = String.join("\n",
                    "filter udp and port " + PORT,
                    "probe vm1/a_out dev:" + net.a + "/" + net.aInner + ":egress",
                    "probe host/br_in dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress",
                    "probe vm2/b_in dev:" + net.b + "/" + net.bInner + ":ingress", "");
            Collector collector = Collector.start(ScriptParser.parse(script, "test script"), new Collector.Options(List.of(
                    new Collector.Agent("vm1", "127.0.0.1:" + vm1.port()), new Collector.Agent("host", "127.0.0.1:" + host.port()),
                    new Collector.Agent("vm2", "127.0.0.1:" + vm2.port())), new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR),
                    new CollectorState(tmp.resolve("state")), null), System.out::println);
            Collector.Result result;
            try (ControlServer control = ControlServer.start(new RunDirectory(tmp.resolve("run")).prepare(),
                    new ControlHandler(new CollectorLiveProbes(collector)), System.err::println)) {
                int before = Traffic.udpFromNamespace(net.a, net.bAddress, PORT, BEFORE);

                CommandLineRun sample = ctl("sample", "host/br_in", "1/2");
                assertEquals(0, sample.exitCode(), sample.err());
                CommandLineRun add = ctl("add", "host/br_out=dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress");
                assertEquals(0, add.exitCode(), add.err());
                CommandLineRun wrongNode = ctl("sample", "vm3/x", "2");
                assertEquals(2, wrongNode.exitCode());
                assertTrue(wrongNode.err().contains("no agent named 'vm3'"), wrongNode.err());
                CommandLineRun refused = ctl("sample", "vm2/nosuch", "2");
                assertEquals(2, refused.exitCode());
                assertTrue(refused.err().contains("node vm2: ") && refused.err().contains("nosuch"), refused.err());

                int after = Traffic.udpFromNamespace(net.a, net.bAddress, PORT, AFTER);
                Thread.sleep(500);
                CommandLineRun list = ctl("list");
                assertEquals(0, list.exitCode(), list.err());
                assertTrue(list.out().contains("host/br_out") && list.out().contains("1/2"), list.out());

                control.close();
                result = collector.finish();
                Summary s = result.summary();
                Map<String, Long> events = s.probes().stream().collect(Collectors.toMap(Summary.Probe::name, Summary.Probe::events));
                Map<String, Long> lost = s.probes().stream().collect(Collectors.toMap(Summary.Probe::name, Summary.Probe::lost));
                System.out.printf("sent %d then %d; events %s; lost %s; unknown probe %d; events lost %d%n", before, after,
                        events, lost, s.counters().unknownProbe(), s.eventsLost());
                assertEquals(0, s.eventsLost(), "no event lost");
                assertEquals(0, s.counters().unknownProbe(), "the added probe's records are known");
                assertEquals(before + after, events.get("vm1/a_out"));
                assertEquals(before + after, events.get("vm2/b_in"));
                assertEquals(after, events.get("host/br_out"), "the added probe saw the traffic after it attached");
                long sampled = events.get("host/br_in") - before;
                assertTrue(sampled > 0 && sampled < after, "host/br_in recorded part of the later traffic: " + sampled);
            } finally {
                collector.close();
            }
        }
    }

    private static AgentServer agent(String node, Path tls) {
        return AgentServer.start(new AgentConfig(node, new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), line -> System.out.println(node + ": " + line));
    }
}
