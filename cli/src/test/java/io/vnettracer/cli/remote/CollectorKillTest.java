package io.vnettracer.cli.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.cli.Main;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpSnmp;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.session.SessionOptions;
import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real collector process (the cli's {@code collect}) is killed with SIGKILL while three agents
 * trace UDP across the bridged path; the agents keep tracing and spooling; a second collector
 * process on the same --state resumes. Its summary must hold exactly the ground truth's sent,
 * received and lost, with no record lost between kernel and collector.
 */
class CollectorKillTest {
    private static final int PORT = 40720;
    private static final int COUNT = 15_000;
    private static final int RATE = 3_000;

    @TempDir
    Path tmp;

    @Test
    void aCollectorKilledMidRunAndStartedAgainLosesNothing() throws Exception {
        Root.assume();
        Path tls = tmp.resolve("tls");
        CertificateAuthority ca = CertificateAuthority.create(tls, "test CA");
        for (String n : List.of("vm1", "host", "vm2")) {
            ca.issueAgent(tls, n);
        }
        ca.issueCollector(tls, "collector");
        try (BridgedNamespaces net = new BridgedNamespaces("vtak", 92);
             AgentServer vm1 = agent("vm1", tls);
             AgentServer host = agent("host", tls);
             AgentServer vm2 = agent("vm2", tls)) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            Path script = Files.writeString(tmp.resolve("path.vnt"), String.join("\n",
                    "filter udp and port " + PORT,
                    "probe vm1/app_tx sock:" + net.a + ":send",
                    "probe vm1/a_out dev:" + net.a + "/" + net.aInner + ":egress",
                    "probe host/br_in dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress",
                    "probe host/br_out dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress",
                    "probe vm2/b_in dev:" + net.b + "/" + net.bInner + ":ingress",
                    "probe vm2/app_rx sock:" + net.b + ":recv",
                    "probe vm2/drops drops:" + net.b, ""));
            Path state = tmp.resolve("state");
            Path json = tmp.resolve("summary.json");
            List<String> common = List.of("collect", "--agent", "vm1=127.0.0.1:" + vm1.port(),
                    "--agent", "host=127.0.0.1:" + host.port(), "--agent", "vm2=127.0.0.1:" + vm2.port(),
                    "--tls-dir", tls.toString(), "--script", script.toString(), "--state", state.toString());

            Path firstOut = tmp.resolve("first.txt");
            Process first = collector(common, List.of("--duration", "5m", "--quiet"), firstOut);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(firstOut, "clock offset") < 3 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(3, count(firstOut, "clock offset"), "the first collector started: " + Files.readString(firstOut));

            Map<String, Long> snmpBefore = UdpSnmp.of(net.b);
            AtomicLong received = new AtomicLong();
            Thread traffic = Thread.ofPlatform().start(() -> udp(net, received));
            Thread.sleep(2_000);
            first.destroyForcibly();
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 9, first.exitValue(), "killed by SIGKILL");
            long committedBeforeKill = Files.size(state.resolve("vm1.log")) + Files.size(state.resolve("vm2.log"));
            assertTrue(committedBeforeKill > 0, "the first collector had committed batches");
            Thread.sleep(1_000);

            Path secondOut = tmp.resolve("second.txt");
            Process second = collector(common, List.of("--duration", "6s", "--json", json.toString()), secondOut);
            traffic.join();
            assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second collector ended: " + Files.readString(secondOut));
            String printed = Files.readString(secondOut);
            assertEquals(0, second.exitValue(), printed);
            assertTrue(printed.contains("resuming trace"), printed);

            long iptablesDrops = iptablesPackets(net.b);
            long bufferDrops = UdpSnmp.delta(snmpBefore, UdpSnmp.of(net.b), "Udp.RcvbufErrors");
            assertEquals(COUNT, received.get() + iptablesDrops + bufferDrops, "ground truth adds up");

            JsonNode summary = new ObjectMapper().readTree(json.toFile());
            JsonNode flow = null;
            for (JsonNode f : summary.get("flows")) {
                if (f.get("src").asText().equals(net.aAddress) && f.get("dst").asText().equals(net.bAddress)) {
                    flow = f;
                }
            }
            assertTrue(flow != null, "the flow is in " + summary);
            assertEquals(COUNT, flow.get("sent").asLong(), printed);
            assertEquals(received.get(), flow.get("received").asLong(), printed);
            assertEquals(iptablesDrops + bufferDrops, flow.get("lost").asLong(), printed);
            assertEquals(0, summary.get("events_lost").asLong(), printed);
            System.out.println("collector killed after " + committedBeforeKill + " log bytes; resumed:\n" + printed);
        }
    }

    private static AgentServer agent(String node, Path tls) {
        return AgentServer.start(new AgentConfig(node, new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT), line -> System.out.println(node + ": " + line));
    }

    private static Process collector(List<String> common, List<String> more, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(common);
        command.addAll(more);
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    }

    private static long count(Path file, String text) throws Exception {
        return Files.exists(file) ? Files.readString(file).lines().filter(l -> l.contains(text)).count() : 0;
    }

    private static void udp(BridgedNamespaces net, AtomicLong received) {
        try {
            AtomicLong ready = new AtomicLong();
            Thread receiver = Thread.ofPlatform().start(() -> {
                try (NetNamespace ns = NetNamespace.named(net.b)) {
                    ns.execute(() -> {
                        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(net.bAddress, PORT))) {
                            s.setSoTimeout(1000);
                            s.setReceiveBufferSize(4 << 20);
                            ready.set(1);
                            byte[] buf = new byte[2048];
                            while (true) {
                                try {
                                    s.receive(new DatagramPacket(buf, buf.length));
                                } catch (SocketTimeoutException idle) {
                                    return;
                                }
                                received.incrementAndGet();
                            }
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (ready.get() == 0) {
                Thread.onSpinWait();
            }
            try (NetNamespace ns = NetNamespace.named(net.a)) {
                ns.execute(() -> {
                    try (DatagramSocket s = new DatagramSocket()) {
                        InetSocketAddress dst = new InetSocketAddress(net.bAddress, PORT);
                        byte[] payload = new byte[100];
                        long interval = 1_000_000_000L / RATE;
                        long next = System.nanoTime();
                        for (int i = 0; i < COUNT; i++) {
                            while (System.nanoTime() < next) {
                                Thread.onSpinWait();
                            }
                            java.nio.ByteBuffer.wrap(payload).putLong(i);
                            s.send(new DatagramPacket(payload, payload.length, dst));
                            next += interval;
                        }
                    }
                });
            }
            receiver.join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
