package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpTraffic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracer's own shortfalls never show as network loss ({@code vnettracer trace} as a user runs
 * it, on real datagrams across the reference path, checked against what the receiving application
 * counted): records lost in a small ring buffer, a probe sampled mid-trace, a trace stopped while
 * packets are still queued on the way.
 */
class LossTrustTest {
    private static final int PORT = 40740;

    @BeforeEach
    void root() {
        Root.assume();
    }

    private static List<String> pathProbes(BridgedNamespaces net) {
        return List.of(
                "--probe", "app_tx=sock:" + net.a + ":send",
                "--probe", "a_out=dev:" + net.a + "/" + net.aInner + ":egress",
                "--probe", "br_in=dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress",
                "--probe", "br_out=dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress",
                "--probe", "b_in=dev:" + net.b + "/" + net.bInner + ":ingress",
                "--probe", "app_rx=sock:" + net.b + ":recv",
                "--probe", "drops=drops:" + net.b);
    }

    private static BackgroundTrace trace(Path dir, BridgedNamespaces net, Path json, String... more) {
        List<String> args = new ArrayList<>(List.of("--quiet", "--id", "tag", "--filter", "udp and port " + PORT,
                "--json", json.toString()));
        args.addAll(pathProbes(net));
        args.addAll(List.of(more));
        return new BackgroundTrace(dir, args.toArray(String[]::new));
    }

    private static JsonNode flowOf(JsonNode summary) {
        for (JsonNode f : summary.get("flows")) {
            if (f.get("dport").asInt() == PORT) {
                return f;
            }
        }
        throw new AssertionError("no flow to port " + PORT + ": " + summary);
    }

    @Test
    void recordsLostInASmallRingAreUnaccountedNotLost(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        UdpTraffic traffic = new UdpTraffic(20_000, 5).withReceiveBuffer(8 << 20);
        CommandLineRun run;
        try (BridgedNamespaces net = new BridgedNamespaces("vtrust", 101)) {
            BackgroundTrace trace = trace(dir, net, json, "--ring-size", "4K", "--duration", "5s");
            trace.awaitAttached();
            traffic.run(net.a, net.b, net.bAddress, PORT, 20_000);
            run = trace.result();
        }
        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        JsonNode flow = flowOf(summary);
        long trulyLost = traffic.count - traffic.received;
        String context = "the application got " + traffic.received + " of " + traffic.count + "; flow " + flow
                + "; segments " + summary.get("segments") + "; probes " + summary.get("probes")
                + "; events_lost " + summary.get("events_lost") + "; degraded " + summary.get("degraded");
        System.out.println("small ring: " + context);
        assertTrue(summary.get("events_lost").asLong() > 0, "a 4 KiB ring loses records at 20 000 datagrams/s: " + context);
        long lost = flow.get("lost").asLong();
        long unaccounted = flow.get("unaccounted").asLong();
        assertTrue(lost <= trulyLost, "lost never exceeds what truly vanished: " + context);
        assertTrue(trulyLost <= lost + unaccounted, "what vanished is lost or unaccounted: " + context);
        assertTrue(unaccounted > 0, "the ring's losses show as unaccounted: " + context);
        assertTrue(summary.get("degraded").toString().contains("ring"), "degraded names the ring: " + context);
    }

    @Test
    void samplingAMiddleProbeMidTraceLosesNothing(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        UdpTraffic traffic = new UdpTraffic(6_000, 6);
        CommandLineRun run;
        CommandLineRun sample;
        try (BridgedNamespaces net = new BridgedNamespaces("vtrusts", 102)) {
            BackgroundTrace trace = trace(dir, net, json, "--duration", "5s");
            trace.awaitAttached();
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    traffic.run(net.a, net.b, net.bAddress, PORT, 3_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(700);
            sample = CommandLineRun.of("ctl", "--run-dir", dir.toString(), "--pid", String.valueOf(ProcessHandle.current().pid()),
                    "sample", "br_in", "1/2");
            sender.join();
            run = trace.result();
        }
        assertEquals(0, sample.exitCode(), sample.err());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        JsonNode flow = flowOf(summary);
        String context = "the application got " + traffic.received + " of " + traffic.count + "; flow " + flow
                + "; segments " + summary.get("segments") + "; degraded " + summary.get("degraded");
        System.out.println("sampling: " + context);
        assertEquals(traffic.count, traffic.received, "nothing vanished: " + context);
        assertEquals(0, flow.get("lost").asLong(), "the flow lost nothing: " + context);
        for (JsonNode s : summary.get("segments")) {
            assertEquals(0, s.get("lost").asLong(), "no segment lost anything to sampling: " + s + "; " + context);
        }
        JsonNode into = segment(summary, "a_out", "br_in");
        assertTrue(into.get("unaccounted").asLong() > 0, "the sampled-out packets are unaccounted at br_in: " + context);
        assertTrue(summary.get("degraded").toString().contains("br_in"), "degraded names the sampled probe: " + context);
        for (JsonNode p : summary.get("probes")) {
            if (p.get("name").asText().equals("br_in")) {
                assertEquals(2, p.get("sample_every").asInt(), "probes[] carries the rate: " + p);
            }
        }
    }

    @Test
    void aTraceStoppedWhilePacketsQueueListsThemInFlightNotDropped(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        // ~0.75 Mbit/s of datagrams into a port shaped to 0.5 Mbit/s: a queue that grows by ~0.5 s a
        // second, with room for seconds (no drop), so packets are queued when the trace stops.
        UdpTraffic traffic = new UdpTraffic(1_800, 7);
        CommandLineRun run;
        try (BridgedNamespaces net = new BridgedNamespaces("vtrustf", 103)) {
            Shell.run("tc", "-n", net.bridgeNamespace, "qdisc", "add", "dev", net.bPort, "root", "tbf",
                    "rate", "500kbit", "burst", "4kb", "latency", "10s");
            BackgroundTrace trace = trace(dir, net, json, "--duration", "3s");
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
        System.out.println("stopped mid-flow: " + context);
        assertEquals(traffic.count, traffic.received, "nothing vanished (ground truth): " + context);
        assertTrue(flow.get("in_flight").asLong() > 0, "packets queued at the end are in flight: " + context);
        assertEquals(0, flow.get("lost").asLong(), "none of them is lost: " + context);
        assertEquals(0, summary.get("drops").size(), "no drop listed: " + context);
    }

    private static JsonNode segment(JsonNode summary, String from, String to) {
        for (JsonNode s : summary.get("segments")) {
            if (s.get("from").asText().equals(from) && s.get("to").asText().equals(to)) {
                return s;
            }
        }
        throw new AssertionError("no segment " + from + " > " + to + ": " + summary.get("segments"));
    }
}
