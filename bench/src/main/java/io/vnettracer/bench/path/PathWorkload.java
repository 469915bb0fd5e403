package io.vnettracer.bench.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.demo.SockperfResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three loads sent across the path, client in vm0, server in vm1, each with the filter a
 * tracer is given for it and the figures it yields.
 */
enum PathWorkload {
    /** iperf3 TCP, one stream, as fast as it goes: the receiver's Gbit/s. */
    TCP_THROUGHPUT("tcp and port " + PathWorkload.IPERF_PORT),
    /** iperf3 UDP, 64-byte datagrams, no rate limit: datagrams the receiver got per second. */
    UDP_SMALL("udp and port " + PathWorkload.IPERF_PORT),
    /** sockperf ping-pong, 64-byte messages, as many as it can: half round trip p50 and p99. */
    PING_PONG("udp and port " + PathWorkload.SOCKPERF_PORT);

    static final int IPERF_PORT = 5201;
    static final int SOCKPERF_PORT = 11111;
    static final String TCP_GBITS = "TCP throughput (iperf3)";
    static final String UDP_RATE = "UDP 64 B datagrams received (iperf3 -b 0)";
    static final String LATENCY_P50 = "ping-pong latency p50 (sockperf)";
    static final String LATENCY_P99 = "ping-pong latency p99 (sockperf)";
    /** Figure name -> unit, in table order. */
    static final Map<String, String> FIGURES = figures();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String filter;

    PathWorkload(String filter) {
        this.filter = filter;
    }

    /** The pcap-style filter that selects this load's packets. */
    String filter() {
        return filter;
    }

    /** Runs the load for {@code seconds} and returns its figures by name. */
    Map<String, Double> run(PathLab lab, int seconds) {
        String t = String.valueOf(seconds);
        String port = String.valueOf(IPERF_PORT);
        return switch (this) {
            case TCP_THROUGHPUT -> {
                JsonNode end = iperf3(lab, seconds, List.of("iperf3", "-c", PathLab.SERVER_IP, "-p", port, "-t", t, "-J"));
                yield Map.of(TCP_GBITS, need(end.at("/sum_received/bits_per_second"), "end.sum_received.bits_per_second") / 1e9);
            }
            case UDP_SMALL -> {
                JsonNode end = iperf3(lab, seconds, List.of("iperf3", "-c", PathLab.SERVER_IP, "-p", port, "-t", t, "-J",
                        "-u", "-l", "64", "-b", "0"));
                // The receiver's counts: datagrams expected by sequence number less those it saw missing.
                double packets = need(end.at("/sum_received/packets"), "end.sum_received.packets");
                double lost = need(end.at("/sum_received/lost_packets"), "end.sum_received.lost_packets");
                double secs = need(end.at("/sum_received/seconds"), "end.sum_received.seconds");
                yield Map.of(UDP_RATE, (packets - lost) / secs);
            }
            case PING_PONG -> {
                try (BenchProcess client = BenchProcess.start("sockperf ping-pong", lab.inVm(PathLab.CLIENT, List.of(
                        "sockperf", "ping-pong", "-i", PathLab.SERVER_IP, "-p", String.valueOf(SOCKPERF_PORT),
                        "-t", t, "-m", "64")))) {
                    SockperfResult r = SockperfResult.parse(client.awaitExit(seconds + 30L));
                    Map<String, Double> latency = new LinkedHashMap<>();
                    latency.put(LATENCY_P50, r.p50Us());
                    latency.put(LATENCY_P99, r.p99Us());
                    yield latency;
                }
            }
        };
    }

    private static JsonNode iperf3(PathLab lab, int seconds, List<String> command) {
        try (BenchProcess client = BenchProcess.start("iperf3 client", lab.inVm(PathLab.CLIENT, command))) {
            String out = client.awaitExit(seconds + 30L);
            JsonNode root = JSON.readTree(out.substring(out.indexOf('{')));
            if (root.hasNonNull("error")) {
                throw new IllegalStateException("iperf3 reported: " + root.get("error").asText());
            }
            return root.path("end");
        } catch (com.fasterxml.jackson.core.JsonProcessingException | StringIndexOutOfBoundsException e) {
            throw new IllegalStateException("iperf3's output is not its JSON report: " + e.getMessage(), e);
        }
    }

    private static double need(JsonNode node, String what) {
        if (!node.isNumber()) {
            throw new IllegalStateException("iperf3's JSON report has no number at " + what);
        }
        return node.asDouble();
    }

    private static Map<String, String> figures() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TCP_GBITS, "Gbit/s");
        m.put(UDP_RATE, "packets/s");
        m.put(LATENCY_P50, "us");
        m.put(LATENCY_P99, "us");
        return m;
    }
}
