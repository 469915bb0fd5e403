package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.event.DelayBuckets;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpTraffic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vnettracer trace --mode aggregate} (figures added up in the kernel) against {@code --mode
 * record} (records joined in user space) on the very same datagrams: two traces at once on the
 * reference path, with random drops by iptables at the receiver and a TBF on the bridge's port that
 * queues and drops. Counts and losses must be equal, and equal to the kernel's own counters;
 * latencies equal within the delay buckets' resolution.
 */
class AggregateModeTest {
    private static final int PORT = 40760;

    @BeforeEach
    void root() {
        Root.assume();
    }

    private static List<String> args(BridgedNamespaces net, Path json, String mode) {
        return new ArrayList<>(List.of("--quiet", "--mode", mode, "--filter", "udp and port " + PORT, "--json", json.toString(),
                "--probe", "app_tx=sock:" + net.a + ":send",
                "--probe", "a_out=dev:" + net.a + "/" + net.aInner + ":egress",
                "--probe", "br_in=dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress",
                "--probe", "br_out=dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress",
                "--probe", "b_in=dev:" + net.b + "/" + net.bInner + ":ingress",
                "--probe", "app_rx=sock:" + net.b + ":recv",
                "--probe", "sw_drops=drops:" + net.bridgeNamespace,
                "--probe", "b_drops=drops:" + net.b));
    }

    @Test
    void aggregateAndRecordModeGiveTheSameFiguresOnTheSameTraffic(@TempDir Path dir) throws Exception {
        Path recordJson = dir.resolve("record.json");
        Path aggregateJson = dir.resolve("aggregate.json");
        Path recordDir = dir.resolve("record");
        Path aggregateDir = dir.resolve("aggregate");
        java.nio.file.Files.createDirectories(recordDir);
        java.nio.file.Files.createDirectories(aggregateDir);
        UdpTraffic traffic = new UdpTraffic(6_000, 11).withReceiveBuffer(8 << 20);
        CommandLineRun record;
        CommandLineRun aggregate;
        long iptablesDrops;
        long tbfDrops;
        try (BridgedNamespaces net = new BridgedNamespaces("vaggr", 104)) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.05", "-j", "DROP");
            // ~12 Mbit/s of datagrams into 8 Mbit/s with a short queue: delays of milliseconds and tail drops.
            Shell.run("tc", "-n", net.bridgeNamespace, "qdisc", "add", "dev", net.bPort, "root", "tbf",
                    "rate", "8mbit", "burst", "8kb", "limit", "60kb");
            List<String> recordArgs = args(net, recordJson, "record");
            recordArgs.addAll(List.of("--duration", "5s"));
            List<String> aggregateArgs = args(net, aggregateJson, "aggregate");
            aggregateArgs.addAll(List.of("--duration", "5s"));
            BackgroundTrace recording = new BackgroundTrace(recordDir, recordArgs.toArray(String[]::new));
            BackgroundTrace aggregating = new BackgroundTrace(aggregateDir, aggregateArgs.toArray(String[]::new));
            recording.awaitAttached();
            aggregating.awaitAttached();
            traffic.run(net.a, net.b, net.bAddress, PORT, 6_000);
            Thread.sleep(300);
            iptablesDrops = iptablesDrops(net.b);
            tbfDrops = tbfDrops(net.bridgeNamespace, net.bPort);
            record = recording.result();
            aggregate = aggregating.result();
        }
        assertEquals(0, record.exitCode(), record.err());
        assertEquals(0, aggregate.exitCode(), aggregate.err());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode rec = mapper.readTree(recordJson.toFile());
        JsonNode agg = mapper.readTree(aggregateJson.toFile());
        JsonNode rf = flowOf(rec), af = flowOf(agg);
        String context = "\nground truth: sent " + traffic.count + ", received " + traffic.received + ", iptables drops "
                + iptablesDrops + ", tbf drops " + tbfDrops + "\nrecord: " + rf + "\n  " + rec.get("segments") + "\n  "
                + rec.get("drops") + "\naggregate: " + af + "\n  " + agg.get("segments") + "\n  " + agg.get("drops")
                + "\n  " + agg.get("aggregation") + " degraded " + agg.get("degraded");
        System.out.println(context);

        assertEquals(traffic.count, traffic.received + iptablesDrops + tbfDrops, "ground truth adds up" + context);
        assertTrue(iptablesDrops > 50 && tbfDrops > 50, "both droppers dropped" + context);
        for (JsonNode f : List.of(rf, af)) {
            assertEquals(traffic.count, f.get("sent").asLong(), "sent" + context);
            assertEquals(traffic.received, f.get("received").asLong(), "received" + context);
            assertEquals(iptablesDrops + tbfDrops, f.get("lost").asLong(), "lost" + context);
            assertEquals(0, f.get("unaccounted").asLong(), "unaccounted" + context);
            assertEquals(0, f.get("in_flight").asLong(), "in flight" + context);
            assertEquals(traffic.sentIpBytes, f.get("sent_bytes").asLong(), "sent bytes" + context);
        }
        for (JsonNode summary : List.of(rec, agg)) {
            assertEquals(tbfDrops, segment(summary, "br_out", "b_in").get("lost").asLong(), "lost at the TBF" + context);
            assertEquals(iptablesDrops, segment(summary, "b_in", "app_rx").get("lost").asLong(), "lost to iptables" + context);
        }
        assertEquals(drops(rec), drops(agg), "the same drops by place and reason" + context);
        // Every iptables drop is at b_in > app_rx, with netfilter's reason unless its kfree_skb went unseen
        // (up to 3 of 236 in some runs, by both traces alike: not a mode's difference; not explained yet).
        Map<String, Long> aggDrops = drops(agg);
        long atNetfilter = aggDrops.getOrDefault("b_in > app_rx / SKB_DROP_REASON_NETFILTER_DROP", 0L);
        long unexplained = aggDrops.getOrDefault("b_in > app_rx / unknown: no drop event seen", 0L);
        assertEquals(iptablesDrops, atNetfilter + unexplained, context);
        assertTrue(unexplained * 50 <= iptablesDrops, "almost every drop has its reason: " + context);

        // Latency: within the buckets' resolution, plus what two programs at one hook differ by.
        double tolerance = DelayBuckets.RESOLUTION_PERCENT / 100 + 0.01;
        for (String q : List.of("p50", "p90", "p99")) {
            long r = rf.get("latency_ns").get(q).asLong(), a = af.get("latency_ns").get(q).asLong();
            assertTrue(Math.abs(a - r) <= tolerance * r + 2_000, q + ": record " + r + " ns, aggregate " + a + " ns" + context);
        }
        double rm = rf.get("latency_ns").get("mean").asDouble(), am = af.get("latency_ns").get("mean").asDouble();
        assertTrue(Math.abs(am - rm) <= 0.01 * rm + 1_000, "mean: record " + rm + ", aggregate " + am + context);
        for (JsonNode rs : rec.get("segments")) {
            JsonNode as = segment(agg, rs.get("from").asText(), rs.get("to").asText());
            assertEquals(rs.get("packets").asLong(), as.get("packets").asLong(), "packets of " + rs + context);
            double r = rs.get("latency_ns").get("mean").asDouble(), a = as.get("latency_ns").get("mean").asDouble();
            assertTrue(Math.abs(a - r) <= 0.05 * r + 1_000, "segment mean " + rs.get("from") + " > " + rs.get("to")
                    + ": record " + r + ", aggregate " + a + context);
        }
        assertEquals("aggregate", agg.get("aggregation").get("mode").asText());
        assertEquals(DelayBuckets.RESOLUTION_PERCENT, agg.get("aggregation").get("latency_resolution_percent").asDouble());
        agg.get("aggregation").get("counters").fields().forEachRemaining(c -> {
            if (!c.getKey().equals("duplicates")) assertEquals(0, c.getValue().asLong(), c.getKey() + context);
        });
        assertEquals(0, agg.get("events_lost").asLong());
        for (JsonNode p : agg.get("probes")) {
            assertEquals(0, p.get("lost").asLong(), "nothing crosses a ring in aggregate mode: " + p);
        }
    }

    @Test
    void aTraceStoppedWhilePacketsQueueListsThemInFlight(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        UdpTraffic traffic = new UdpTraffic(1_800, 7);
        CommandLineRun run;
        try (BridgedNamespaces net = new BridgedNamespaces("vaggf", 105)) {
            Shell.run("tc", "-n", net.bridgeNamespace, "qdisc", "add", "dev", net.bPort, "root", "tbf",
                    "rate", "500kbit", "burst", "4kb", "latency", "10s");
            List<String> a = args(net, json, "aggregate");
            a.addAll(List.of("--duration", "3s", "--store", dir.resolve("trace.duckdb").toString()));
            BackgroundTrace trace = new BackgroundTrace(dir, a.toArray(String[]::new));
            trace.awaitAttached();
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    traffic.run(net.a, net.b, net.bAddress, PORT, 400);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            run = trace.result();
            sender.join();
        }
        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        JsonNode flow = flowOf(summary);
        String context = "the application got " + traffic.received + " of " + traffic.count + "; flow " + flow
                + "; drops " + summary.get("drops");
        assertEquals(traffic.count, traffic.received, "nothing vanished (ground truth): " + context);
        assertTrue(flow.get("in_flight").asLong() > 0, "packets queued at the end are in flight: " + context);
        assertEquals(0, flow.get("lost").asLong(), "none of them is lost: " + context);
        assertEquals(0, summary.get("drops").size(), "no drop listed: " + context);
        // The store gets the summary's tables in aggregate mode too (no event or journey rows: none crossed).
        CommandLineRun sql = CommandLineRun.of("sql", "--db", dir.resolve("trace.duckdb").toString(), "--csv",
                "SELECT sent, (SELECT count(*) FROM events) AS events FROM flows WHERE dport = " + PORT);
        assertEquals(0, sql.exitCode(), sql.err());
        assertEquals("sent,events\n" + flow.get("sent").asLong() + ",0", sql.out().strip().replace("\r\n", "\n"), sql.out());
    }

    private static JsonNode flowOf(JsonNode summary) {
        for (JsonNode f : summary.get("flows")) {
            if (f.get("dport").asInt() == PORT) return f;
        }
        throw new AssertionError("no flow to port " + PORT + ": " + summary);
    }

    private static JsonNode segment(JsonNode summary, String from, String to) {
        for (JsonNode s : summary.get("segments")) {
            if (s.get("from").asText().equals(from) && s.get("to").asText().equals(to)) return s;
        }
        throw new AssertionError("no segment " + from + " > " + to + ": " + summary.get("segments"));
    }

    private static Map<String, Long> drops(JsonNode summary) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode d : summary.get("drops")) {
            out.merge(d.get("probe_or_point").asText() + " / " + d.get("reason").asText(), d.get("count").asLong(), Long::sum);
        }
        return out;
    }

    private static long iptablesDrops(String namespace) {
        String out = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-x", "-n");
        Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP", Pattern.MULTILINE).matcher(out);
        if (!m.find()) throw new AssertionError("no DROP rule in:\n" + out);
        return Long.parseLong(m.group(1));
    }

    private static long tbfDrops(String namespace, String device) {
        String out = Shell.run("tc", "-n", namespace, "-s", "qdisc", "show", "dev", device);
        Matcher m = Pattern.compile("dropped (\\d+)").matcher(out);
        if (!m.find()) throw new AssertionError("no drop count in:\n" + out);
        return Long.parseLong(m.group(1));
    }
}
