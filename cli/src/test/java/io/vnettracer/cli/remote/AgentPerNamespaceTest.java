package io.vnettracer.cli.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.cli.Main;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpSnmp;
import io.vnettracer.probe.testing.UdpTraffic;
import io.vnettracer.remote.tls.CertificateAuthority;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node its own process in its own network namespace, as on real VMs: three
 * {@code vnettracer agent} processes started inside them (vm1 in namespace A, host in
 * the bridge's namespace, vm2 in B), each listening on its namespace's own address and naming its
 * interfaces as that namespace sees them (no namespace in the specs); one {@code vnettracer collect}
 * process in namespace A that reaches them over the bridged network with mutual TLS. UDP A → B with
 * a tenth dropped by iptables in B: the joined flow must hold exactly what was sent, received and
 * dropped.
 */
class AgentPerNamespaceTest {
    private static final int PORT = 40730;
    private static final int AGENT_PORT = 7443;
    private static final int COUNT = 3_000;
    private static final int RATE = 3_000;

    @TempDir
    Path tmp;

    /**
     * In tag mode the collector decides over the whole script which probe writes the tag (vm1's
     * egress) and which strips it (vm2's ingress) and tells each agent; the bridge in between must
     * see every datagram carrying the 8-byte trailer, and the receiver must get every byte intact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fingerprint", "tag"})
    void agentsInTheirOwnNamespacesAndACollectorOnTheNetworkJoinAFlowExactly(String identity) throws Exception {
        Root.assume();
        Path tls = tmp.resolve("tls");
        CertificateAuthority ca = CertificateAuthority.create(tls, "test CA");
        for (String n : List.of("vm1", "host", "vm2")) {
            ca.issueAgent(tls, n);
        }
        ca.issueCollector(tls, "collector");
        List<Process> processes = new ArrayList<>();
        try (BridgedNamespaces net = new BridgedNamespaces("vtpn", 94)) {
            String hostAddress = net.aAddress.substring(0, net.aAddress.lastIndexOf('.')) + ".254";
            Shell.run("ip", "-n", net.bridgeNamespace, "addr", "add", hostAddress + "/24", "dev", net.bridge);
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            Map<String, String[]> nodes = new LinkedHashMap<>();
            nodes.put("vm1", new String[] {net.a, net.aAddress});
            nodes.put("host", new String[] {net.bridgeNamespace, hostAddress});
            nodes.put("vm2", new String[] {net.b, net.bAddress});
            List<String> agentOptions = new ArrayList<>();
            for (var node : nodes.entrySet()) {
                String namespace = node.getValue()[0], address = node.getValue()[1];
                processes.add(inNamespace(namespace, List.of("agent", "--node", node.getKey(), "--tls-dir", tls.toString(),
                        "--listen", address + ":" + AGENT_PORT), tmp.resolve(node.getKey() + ".log")));
                agentOptions.addAll(List.of("--agent", node.getKey() + "=" + address + ":" + AGENT_PORT));
            }
            // Specs as each node sees itself: its own interfaces, its own namespace.
            Path script = Files.writeString(tmp.resolve("path.vnt"), String.join("\n",
                    "identity " + identity,
                    "filter udp and port " + PORT,
                    "probe vm1/app_tx sock::send",
                    "probe vm1/a_out dev:" + net.aInner + ":egress",
                    "probe host/br_in dev:" + net.aPort + ":ingress",
                    "probe host/br_out dev:" + net.bPort + ":egress",
                    "probe vm2/b_in dev:" + net.bInner + ":ingress",
                    "probe vm2/app_rx sock::recv",
                    "probe vm2/drops drops", ""));
            Path json = tmp.resolve("summary.json");
            List<String> collect = new ArrayList<>(List.of("collect"));
            collect.addAll(agentOptions);
            collect.addAll(List.of("--tls-dir", tls.toString(), "--script", script.toString(),
                    "--state", tmp.resolve("state").toString(), "--duration", "6s", "--json", json.toString(),
                    "--store", tmp.resolve("trace.duckdb").toString()));
            awaitListening(nodes);
            Path collectOut = tmp.resolve("collect.txt");
            Process collector = inNamespace(net.a, collect, collectOut);
            processes.add(collector);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(collectOut, "clock offset") < 3 && collector.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(3, count(collectOut, "clock offset"), "the collector started: " + Files.readString(collectOut)
                    + logs(nodes.keySet()));

            Map<String, Long> snmpBefore = UdpSnmp.of(net.b);
            Path capture = tmp.resolve("bridge.pcap");
            Process tcpdump = new ProcessBuilder("ip", "netns", "exec", net.bridgeNamespace, "tcpdump", "-i", net.aPort,
                    "-c", "50", "-nn", "-U", "-w", capture.toString(), "udp", "port", String.valueOf(PORT))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(tcpdump);
            Thread.sleep(1000); // tcpdump is listening
            UdpTraffic traffic = new UdpTraffic(COUNT, 31).withReceiveBuffer(4 << 20);
            traffic.run(net.a, net.b, net.bAddress, PORT, RATE);
            assertEquals(0, traffic.corrupted, "datagrams reached the receiver altered");
            assertTrue(tcpdump.waitFor(30, TimeUnit.SECONDS), "tcpdump captured 50 datagrams at the bridge");
            List<Integer> trailers = trailerBytes(capture);
            assertEquals(50, trailers.size(), "datagrams read back from the capture");
            int expected = identity.equals("tag") ? 8 : 0;
            assertTrue(trailers.stream().allMatch(t -> t == expected),
                    "bytes beyond the UDP datagram at the bridge, " + identity + " mode: " + trailers);
            assertTrue(collector.waitFor(120, TimeUnit.SECONDS), "the collector ended: " + Files.readString(collectOut));
            String printed = Files.readString(collectOut);
            assertEquals(0, collector.exitValue(), printed + logs(nodes.keySet()));

            long iptablesDrops = iptablesPackets(net.b);
            long bufferDrops = UdpSnmp.delta(snmpBefore, UdpSnmp.of(net.b), "Udp.RcvbufErrors");
            assertEquals(COUNT, traffic.received + iptablesDrops + bufferDrops, "ground truth adds up");
            JsonNode summary = new ObjectMapper().readTree(json.toFile());
            JsonNode flow = null;
            for (JsonNode f : summary.get("flows")) {
                if (f.get("src").asText().equals(net.aAddress) && f.get("dst").asText().equals(net.bAddress)) flow = f;
            }
            assertTrue(flow != null, "the flow is in " + summary);
            assertEquals(COUNT, flow.get("sent").asLong(), printed);
            assertEquals(traffic.received, flow.get("received").asLong(), printed);
            assertEquals(iptablesDrops + bufferDrops, flow.get("lost").asLong(), printed);
            assertEquals(0, summary.get("events_lost").asLong(), printed);
            List<String> hops = new ArrayList<>();
            for (JsonNode seg : summary.get("segments")) {
                if (seg.get("flow").asText().contains(net.aAddress + ":")) hops.add(seg.get("from").asText() + " > " + seg.get("to").asText());
            }
            assertEquals(List.of("vm1/app_tx > vm1/a_out", "vm1/a_out > host/br_in", "host/br_in > host/br_out",
                    "host/br_out > vm2/b_in", "vm2/b_in > vm2/app_rx"), hops, printed);
            // The joined trace in the collector's store, read back with SQL.
            try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("trace.duckdb"));
                 var rows = db.createStatement().executeQuery(
                         "SELECT probe, count(*) FROM events WHERE kind = 'packet' GROUP BY probe ORDER BY probe");
                 var journeys = db.createStatement().executeQuery(
                         "SELECT count(*) FROM journeys WHERE src = '" + net.aAddress + "' AND dst = '" + net.bAddress + "'")) {
                Map<String, Long> events = new LinkedHashMap<>();
                while (rows.next()) events.put(rows.getString(1), rows.getLong(2));
                assertEquals(Map.of("vm1/app_tx", (long) COUNT, "vm1/a_out", (long) COUNT, "host/br_in", (long) COUNT,
                        "host/br_out", (long) COUNT, "vm2/b_in", (long) COUNT, "vm2/app_rx", traffic.received), events);
                assertTrue(journeys.next());
                assertEquals(COUNT, journeys.getLong(1), "one journey per datagram in the store");
            }
            System.out.println("agents in their namespaces; collector in " + net.a + ":\n" + printed);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private String logs(Iterable<String> nodes) throws Exception {
        StringBuilder s = new StringBuilder();
        for (String n : nodes) {
            Path log = tmp.resolve(n + ".log");
            s.append("\n--- ").append(n).append(":\n").append(Files.exists(log) ? Files.readString(log) : "(none)");
        }
        return s.toString();
    }

    /** The cli's Main in a new JVM inside network namespace {@code namespace}. */
    private static Process inNamespace(String namespace, List<String> arguments, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // nsenter moves only the network namespace; `ip netns exec` would also remount /sys, hiding the
        // cgroup2 hierarchy that socket probes attach to (as a VM's own agent would see its own).
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace, java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    }

    /** Waits until every agent accepts connections on its address (each inside its namespace). */
    private static void awaitListening(Map<String, String[]> nodes) throws Exception {
        for (String[] node : nodes.values()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String listening = Shell.run("ip", "netns", "exec", node[0], "ss", "-ltnH", "sport", "= :" + AGENT_PORT);
                if (listening.contains(node[1] + ":" + AGENT_PORT)) break;
                if (System.nanoTime() > deadline) throw new IllegalStateException("no agent listening in " + node[0]);
                Thread.sleep(100);
            }
        }
    }

    /** For each captured IPv4/UDP packet: IP total length minus IP header minus UDP length (the tag trailer). */
    private static List<Integer> trailerBytes(Path capture) {
        String out = Shell.run("tcpdump", "-r", capture.toString(), "-nn", "-v");
        Matcher m = Pattern.compile("length (\\d+)\\)\\s+\\S+ > \\S+: UDP, length (\\d+)").matcher(out);
        List<Integer> trailers = new ArrayList<>();
        while (m.find()) {
            trailers.add(Integer.parseInt(m.group(1)) - 20 - 8 - Integer.parseInt(m.group(2)));
        }
        return trailers;
    }

    private static long count(Path file, String text) throws Exception {
        return Files.exists(file) ? Files.readString(file).lines().filter(l -> l.contains(text)).count() : 0;
    }

    private static long iptablesPackets(String namespace) {
        String out = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-x", "-n");
        Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP", Pattern.MULTILINE).matcher(out);
        if (!m.find()) throw new IllegalStateException("no DROP rule counter in:\n" + out);
        return Long.parseLong(m.group(1));
    }
}
