package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.store.StoreQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vnettracer trace --store --pcapng --json} on real datagrams across the reference path
 * (A -> veth -> bridge namespace -> veth -> B), then the exports read back by their real
 * consumers: DuckDB SQL (through {@code vnettracer sql} and JDBC) and tshark.
 */
class StoreAndPcapngTraceTest {
    private static final int PORT = 40530;
    private static final int COUNT = 300;
    private static final List<String> PROBES = List.of("a_out", "br_in", "br_out", "b_in");

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void theStoreAndThePcapngHoldEveryRecordTheTraceSaw(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("trace.duckdb");
        Path pcapng = dir.resolve("trace.pcapng");
        Path json = dir.resolve("summary.json");
        Path events = dir.resolve("events.bin");
        long wallBefore = System.currentTimeMillis() * 1_000_000L;
        int sent;
        CommandLineRun run;
        BridgedNamespaces net = new BridgedNamespaces("vtst", 91);
        // A bound socket in B, so that no port-unreachable comes back to fail the sender's writes.
        java.net.DatagramSocket receiver;
        try (NetNamespace b = NetNamespace.named(net.b)) {
            receiver = b.run(() -> new java.net.DatagramSocket(new java.net.InetSocketAddress(net.bAddress, PORT)));
        }
        try (receiver) {
            BackgroundTrace trace = new BackgroundTrace(dir, "--quiet", "--duration", "6s", "--filter", "udp and port " + PORT,
                    "--probe", "a_out=dev:" + net.a + "/" + net.aInner + ":egress",
                    "--probe", "br_in=dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress",
                    "--probe", "br_out=dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress",
                    "--probe", "b_in=dev:" + net.b + "/" + net.bInner + ":ingress",
                    "--store", db.toString(), "--pcapng", pcapng.toString(), "--json", json.toString(),
                    "--events", events.toString());
            trace.awaitAttached();
            sent = Traffic.udpFromNamespace(net.a, net.bAddress, PORT, COUNT);
            run = trace.result();
        } finally {
            net.close();
        }
        long wallAfter = System.currentTimeMillis() * 1_000_000L;
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(COUNT, sent, "the sender sent every datagram");
        JsonNode summary = new ObjectMapper().readTree(json.toFile());

        // (a) SQL: counts per probe and per flow, one journey per datagram, the flows as in the JSON summary
        Map<String, Long> perProbe = new TreeMap<>();
        for (List<Object> r : sql(db, "SELECT probe, count(*) FROM events GROUP BY probe")) {
            perProbe.put((String) r.get(0), (Long) r.get(1));
        }
        Map<String, Long> expected = new TreeMap<>();
        PROBES.forEach(p -> expected.put(p, (long) COUNT));
        assertEquals(expected, perProbe, "events per probe in the store");
        for (JsonNode p : summary.get("probes")) {
            assertEquals(p.get("events").asLong(), perProbe.get(p.get("name").asText()), "events of " + p);
        }
        assertEquals(List.of(List.of("udp " + net.aAddress, net.bAddress, (long) PORT, (long) COUNT, (long) COUNT, 0L)),
                sql(db, "SELECT protocol || ' ' || src, dst, CAST(dport AS BIGINT), sent, received, lost FROM flows"));
        assertEquals(List.of(List.of((long) COUNT, (long) COUNT, (long) COUNT, 4)), sql(db,
                "SELECT count(*), count(DISTINCT identity_key), count(*) FILTER (delivered AND NOT dropped), max(hops) FROM journeys"));
        assertEquals(List.of(List.of((long) COUNT * 4)), sql(db, "SELECT count(*) FROM journey_hops"));
        JsonNode flow = summary.get("flows").get(0);
        List<Object> row = sql(db, "SELECT sent, received, lost, loss_rate, throughput_bps, jitter_ns, latency_min_ns,"
                + " latency_mean_ns, latency_p50_ns, latency_p90_ns, latency_p99_ns, latency_max_ns FROM flows").get(0);
        JsonNode l = flow.get("latency_ns");
        assertEquals(List.of(flow.get("sent").asLong(), flow.get("received").asLong(), flow.get("lost").asLong(),
                flow.get("loss_rate").asDouble(), flow.get("throughput_bps").asDouble(), flow.get("jitter_ns").asDouble(),
                l.get("min").asLong(), l.get("mean").asDouble(), l.get("p50").asLong(), l.get("p90").asLong(),
                l.get("p99").asLong(), l.get("max").asLong()), row, "the flows row is the JSON summary's flow");
        assertEquals(summary.get("segments").size(), sql(db, "SELECT count(*) FROM segments").get(0).get(0) instanceof Long n ? n.intValue() : -1);
        for (JsonNode s : summary.get("segments")) {
            List<List<Object>> seg = sql(db, "SELECT packets, lost, latency_mean_ns, latency_p50_ns, latency_p99_ns, share FROM segments"
                    + " WHERE from_probe = '" + s.get("from").asText() + "' AND to_probe = '" + s.get("to").asText() + "'");
            JsonNode sl = s.get("latency_ns");
            assertEquals(List.of(List.of(s.get("packets").asLong(), s.get("lost").asLong(), sl.get("mean").asDouble(),
                    sl.get("p50").asLong(), sl.get("p99").asLong(), s.get("share").asDouble())), seg, "segment " + s);
        }
        assertEquals(List.of(List.of("0", "0")), sql(db, "SELECT max(value) FILTER (key = 'events_not_stored'),"
                + " max(value) FILTER (key = 'journeys_not_stored') FROM trace_info"));
        CommandLineRun table = CommandLineRun.of("sql", "--db", db.toString(),
                "SELECT from_probe, to_probe, packets FROM segment_latency ORDER BY from_probe");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("from_probe  to_probe  packets\n"), table.out());
        assertTrue(table.out().contains("a_out       br_in         " + COUNT + "\n"), table.out());

        // the same trace saved as events + JSON and imported: the same rows
        Path imported = dir.resolve("imported.duckdb");
        CommandLineRun importRun = CommandLineRun.of("store", "import", "--events", events.toString(), "--json", json.toString(),
                "--db", imported.toString());
        assertEquals(0, importRun.exitCode(), importRun.err());
        String same = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM journeys WHERE delivered),"
                + " (SELECT sum(ts_ns) FROM events), (SELECT string_agg(flow || ' ' || sent || ' ' || received, ';') FROM flows)";
        assertEquals(sql(db, same), sql(imported, same), "the imported store holds what the live one does");

        // (b) tshark: every record, with its probe, addresses, port and time
        long wallOffset = Long.parseLong((String) sql(db, "SELECT value FROM trace_info WHERE key = 'wall_offset_ns'").get(0).get(0));
        List<String> lines = tshark("-r", pcapng.toString(), "-T", "fields", "-E", "separator=|", "-e", "frame.comment",
                "-e", "frame.interface_name", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport", "-e", "frame.time_epoch");
        assertEquals(4 * COUNT, lines.size(), "one packet per record");
        Map<String, List<Long>> pcapTimes = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\\|", -1);
            Map<String, String> comment = new HashMap<>();
            for (String kv : f[0].split(" ")) {
                comment.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            assertEquals(f[1], comment.get("probe"), line);
            assertEquals("packet", comment.get("kind"), line);
            assertEquals(List.of(net.aAddress, net.bAddress, String.valueOf(PORT)), List.of(f[2], f[3], f[4]), line);
            long ts = Long.parseLong(comment.get("ts_ns"));
            long wall = new BigDecimal(f[5]).movePointRight(9).longValueExact();
            assertEquals(ts + wallOffset, wall, "the packet's time is its kernel time plus the offset: " + line);
            assertTrue(wall >= wallBefore && wall <= wallAfter, "the packet's wall time lies within the test: " + line);
            pcapTimes.computeIfAbsent(f[1], k -> new ArrayList<>()).add(ts);
        }
        for (String probe : PROBES) {
            List<Long> stored = sql(db, "SELECT ts_ns FROM events WHERE probe = '" + probe + "' ORDER BY ts_ns").stream()
                    .map(r -> (Long) r.get(0)).toList();
            assertEquals(stored, pcapTimes.get(probe).stream().sorted().toList(), "the same records in both exports at " + probe);
        }
        List<String> complaints = tshark("-r", pcapng.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= error");
        assertEquals(List.of(), complaints, "packets tshark finds malformed");
    }

    private static List<List<Object>> sql(Path db, String query) throws Exception {
        return StoreQuery.run(db, query).rows();
    }

    private static List<String> tshark(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + err);
        return out.lines().toList();
    }
}
