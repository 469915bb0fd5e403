package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpTraffic;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.sinks.pcapng.Tshark;
import io.vnettracer.store.StoreQuery;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vnettracer collect --pcapng --store} where the nodes' clocks do not share a boot time, as
 * on two machines: two agents in this JVM on the bridged path (A = vm1, the reference, the first
 * node of the script; B = vm2), each with an artificial clock offset ({@link AgentConfig}'s
 * clockOffsetNanos moves every timestamp and clock reading the agent reports, as another kernel's
 * monotonic clock would be). The wall clock of every machine is this one's, so every packet's wall
 * time in the capture and in the store must lie between two readings of it taken around the sends.
 * Stamping the replay's timestamps (the reference's clock) with the collector's own wall offset puts
 * them {@link #REFERENCE_OFFSET} off.
 */
class CollectWallClockTest {
    private static final int PORT = 40732;
    private static final int COUNT = 200;
    private static final int RATE = 2_000;
    private static final long REFERENCE_OFFSET = 37_000_000_000L;
    private static final long OTHER_OFFSET = -11_000_000_000L;
    /**
     * Beyond a node's clock uncertainty against the reference (the summary's {@code nodes[]}: 0 for the
     * reference, ± the collector's round-trip estimates for vm2): the wall-clock readings, the
     * agent's and the test's, are bracketed within µs.
     */
    private static final long MARGIN_NANOS = 1_000_000;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void capturedAndStoredTimesAreTheReferenceNodesWallClock() throws Exception {
        Path tls = tmp.resolve("tls");
        CertificateAuthority ca = CertificateAuthority.create(tls, "test CA");
        ca.issueAgent(tls, "vm1");
        ca.issueAgent(tls, "vm2");
        ca.issueCollector(tls, TlsFiles.DEFAULT_COLLECTOR);
        Path pcapng = tmp.resolve("t.pcapng");
        Path store = tmp.resolve("t.duckdb");
        Path json = tmp.resolve("t.json");
        try (BridgedNamespaces net = new BridgedNamespaces("vtwc", 149);
             AgentServer vm1 = agent("vm1", tls, REFERENCE_OFFSET);
             AgentServer vm2 = agent("vm2", tls, OTHER_OFFSET)) {
            Path script = java.nio.file.Files.writeString(tmp.resolve("path.vnt"), String.join("\n",
                    "filter udp and port " + PORT,
                    "probe vm1/a_out dev:" + net.a + "/" + net.aInner + ":egress",
                    "probe vm2/b_in dev:" + net.b + "/" + net.bInner + ":ingress", ""));
            BackgroundTrace collect = BackgroundTrace.collect(tmp.resolve("run"),
                    "--agent", "vm1=127.0.0.1:" + vm1.port(), "--agent", "vm2=127.0.0.1:" + vm2.port(),
                    "--tls-dir", tls.toString(), "--script", script.toString(), "--state", tmp.resolve("state").toString(),
                    "--duration", "8s", "--quiet", "--pcapng", pcapng.toString(), "--store", store.toString(), "--json", json.toString());
            collect.awaitAttached();
            long before = epochNanos(Instant.now());
            new UdpTraffic(COUNT, 23).run(net.a, net.b, net.bAddress, PORT, RATE);
            long after = epochNanos(Instant.now());
            CommandLineRun run = collect.result();
            assertEquals(0, run.exitCode(), run.out() + run.err());

            Map<String, Long> tolerance = new HashMap<>();
            for (JsonNode n : new ObjectMapper().readTree(json.toFile()).get("nodes")) {
                tolerance.put(n.get("name").asText(), n.get("uncertainty_ns").asLong() + MARGIN_NANOS);
            }
            assertEquals(MARGIN_NANOS, tolerance.get("vm1"), "vm1 is the reference, exact: " + tolerance);
            List<String> packets = Tshark.fields(pcapng, "frame.interface_name", "frame.time_epoch");
            assertEquals(2 * COUNT, packets.size(), "a packet per record at vm1/a_out and vm2/b_in: " + run.err());
            long worst = 0;
            for (String line : packets) {
                String[] f = line.split("\t");
                long wall = new BigDecimal(f[1]).movePointRight(9).longValueExact();
                String node = f[0].substring(0, f[0].indexOf('/'));
                assertWithin(before, after, wall, tolerance.get(node), "pcapng " + line + " (" + run.err() + ")");
                worst = Math.max(worst, Math.max(before - wall, wall - after));
            }
            List<Object> stored = StoreQuery.run(store, "SELECT min(ts_ns) + o, max(ts_ns) + o, count(*) FROM events,"
                    + " (SELECT CAST(value AS BIGINT) AS o FROM trace_info WHERE key = 'wall_offset_ns') GROUP BY o").rows().get(0);
            assertEquals((long) 2 * COUNT, ((Number) stored.get(2)).longValue(), "stored events");
            long widest = Math.max(tolerance.get("vm1"), tolerance.get("vm2"));
            assertWithin(before, after, ((Number) stored.get(0)).longValue(), widest, "the store's first event");
            assertWithin(before, after, ((Number) stored.get(1)).longValue(), widest, "the store's last event");
            System.out.printf("%d datagrams sent in %d us of wall time; pcapng times at most %d us outside it"
                    + " (tolerance: %s ns)%n", COUNT, (after - before) / 1000, Math.max(0, worst) / 1000, tolerance);
        }
    }

    private static void assertWithin(long before, long after, long wall, long tolerance, String what) {
        assertTrue(wall >= before - tolerance && wall <= after + tolerance, what + ": wall time " + wall
                + " ns is not within " + tolerance + " ns of the sends [" + before + ", " + after + "] ("
                + (wall < before ? before - wall : wall - after) + " ns outside)");
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static AgentServer agent(String node, Path tls, long clockOffset) {
        return AgentServer.start(new AgentConfig(node, new InetSocketAddress("127.0.0.1", 0), tls,
                AgentConfig.DEFAULT_SPOOL_BYTES, clockOffset, SessionOptions.DEFAULT), line -> System.out.println(node + ": " + line));
    }
}
