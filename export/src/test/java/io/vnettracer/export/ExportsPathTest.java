package io.vnettracer.export;

import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.export.otlp.ClockOffset;
import io.vnettracer.export.otlp.OtlpSink;
import io.vnettracer.export.otlp.OtlpStats;
import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.export.prometheus.PrometheusSink;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpSnmp;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real trace of UDP across the reference path (A → veth → bridge → veth → B) with a random tenth
 * of the datagrams dropped by an iptables {@code statistic} rule in B, exported while it runs:
 * /metrics is scraped during and after the traffic and read with Prometheus's own text parser, and
 * an OTLP receiver in the test decodes every trace. Sent, received and lost must equal what was
 * sent, delivered and dropped; each trace must be one journey the joiner finalized, span for span.
 */
class ExportsPathTest {
    private static final int PORT = 40700;
    private static final int COUNT = 4000;
    private static final int RATE = 800;
    private static final int SAMPLE = 3;

    @BeforeEach
    void root() {
        Root.assume();
        Assumptions.assumeTrue(PrometheusText.available(), "needs Debian's python3 with python3-prometheus-client (scripts/setup)");
    }

    @Test
    void prometheusAndOtlpReportWhatWasSentDeliveredAndDropped() throws Exception {
        ClockOffset clock = ClockOffset.measure();
        try (BridgedNamespaces net = new BridgedNamespaces("vtex", 93);
             OtlpReceiver receiver = new OtlpReceiver()) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            var snmpBefore = UdpSnmp.of(net.b);
            UdpTraffic traffic = new UdpTraffic(COUNT, 23);
            PrometheusSink[] prometheus = new PrometheusSink[1];
            OtlpSink[] otlp = new OtlpSink[2];
            PrometheusText live = null;
            PrometheusText last;
            Summary summary;
            List<TracedExport.Recorded> journeys;
            try (TracedExport path = new TracedExport(net, "udp and port " + PORT, (self, catalog) -> {
                prometheus[0] = PrometheusSink.start(ListenAddress.parse("127.0.0.1:0"), catalog);
                otlp[0] = new OtlpSink(receiver.url("/v1/traces"), 1, catalog, self.config.maxHops(), self.reasons, clock);
                otlp[1] = new OtlpSink(receiver.url("/sampled/v1/traces"), SAMPLE, catalog, self.config.maxHops(), self.reasons, clock);
                return List.of(prometheus[0], otlp[0], otlp[1]);
            })) {
                prometheus[0].countUndecodableFrom(path.session::undecodableEvents);
                Thread sender = Thread.ofPlatform().start(() -> {
                    try {
                        traffic.run(net.a, net.b, net.bAddress, PORT, RATE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                while (sender.isAlive()) {
                    Summary latest = path.publish();
                    if (live == null && latest != null && latest.flows().stream().anyMatch(f -> f.dport() == PORT && f.sent() > 0)) {
                        assertTrue(sender.isAlive(), "the live scrape starts while datagrams are still being sent");
                        live = PrometheusText.scrape("127.0.0.1", prometheus[0].address().port());
                    }
                    Thread.sleep(250);
                }
                sender.join();
                Thread.sleep(200);
                summary = path.finish();
                last = PrometheusText.scrape("127.0.0.1", prometheus[0].address().port());
                journeys = List.copyOf(path.journeys);
            }
            long iptablesDrops = iptablesPackets(net.b);
            long bufferDrops = UdpSnmp.delta(snmpBefore, UdpSnmp.of(net.b), "Udp.RcvbufErrors");
            assertEquals(COUNT, traffic.received + iptablesDrops + bufferDrops, "ground truth adds up");
            assertTrue(iptablesDrops > 100, "the rule dropped " + iptablesDrops);

            Summary.Flow flow = summary.flows().stream().filter(f -> f.dport() == PORT).findFirst().orElseThrow();
            assertEquals(TracedExport.PATH, flow.path());
            Map<String, String> flowLabels = Map.of("proto", "udp", "src", net.aAddress, "dst", net.bAddress,
                    "dport", String.valueOf(PORT));

            // (a) Prometheus, while the traffic ran: partial but consistent figures.
            assertTrue(live != null, "no scrape while the traffic ran");
            double liveSent = live.value("vnettracer_flow_sent_packets_total", flowLabels);
            assertTrue(liveSent > 0 && liveSent < COUNT, "live sent " + liveSent);
            assertTrue(live.value("vnettracer_flow_lost_packets_total", flowLabels) <= iptablesDrops + bufferDrops);
            assertEquals(0, live.value("vnettracer_trace_finished", Map.of()));

            // (a) Prometheus, after the traffic: the exact figures.
            assertEquals(1, last.value("vnettracer_trace_finished", Map.of()));
            assertEquals(COUNT, last.value("vnettracer_flow_sent_packets_total", flowLabels), "sent");
            assertEquals(traffic.received, last.value("vnettracer_flow_received_packets_total", flowLabels), "received");
            assertEquals(iptablesDrops + bufferDrops, last.value("vnettracer_flow_lost_packets_total", flowLabels), "lost");
            assertEquals(traffic.sentIpBytes, last.value("vnettracer_flow_sent_bytes_total", flowLabels), "sent bytes");
            assertEquals(traffic.receivedIpBytes, last.value("vnettracer_flow_received_bytes_total", flowLabels), "received bytes");
            assertEquals("counter", last.typeOf("vnettracer_flow_sent_packets"));
            assertEquals("summary", last.typeOf("vnettracer_flow_latency_seconds"));
            assertEquals(COUNT - flow.lost(), last.value("vnettracer_flow_latency_seconds_count", flowLabels));
            assertEquals(flow.latencyNs().p99() * 1e-9, last.value("vnettracer_flow_latency_seconds",
                    with(flowLabels, "quantile", "0.99")), 1e-12);
            assertEquals(iptablesDrops, last.value("vnettracer_dropped_packets_total",
                    Map.of("point", "b_in > app_rx", "reason", "SKB_DROP_REASON_NETFILTER_DROP")));
            for (Summary.Segment s : summary.segments()) {
                if (!s.flow().equals(flow.key().toString())) continue;
                Map<String, String> labels = with(with(flowLabels, "from", s.from()), "to", s.to());
                assertEquals(s.packets(), last.value("vnettracer_segment_packets_total", labels), s.from() + " > " + s.to());
                assertEquals(s.lost(), last.value("vnettracer_segment_lost_packets_total", labels));
                assertEquals(s.latencyNs().mean() * 1e-9,
                        last.value("vnettracer_segment_latency_seconds_sum", labels) / s.packets(), 1e-12);
                assertEquals(s.share(), last.value("vnettracer_segment_latency_share_ratio", labels), 1e-12);
            }
            for (Summary.Probe p : summary.probes()) {
                assertEquals(p.events(), last.value("vnettracer_probe_events_total", Map.of("probe", p.name())));
                assertEquals(0, last.value("vnettracer_probe_ring_lost_events_total", Map.of("probe", p.name())));
            }
            assertEquals(summary.counters().journeys(), last.value("vnettracer_joiner_journeys_total", Map.of()));
            assertEquals(0, last.value("vnettracer_joiner_refused_events_total", Map.of("reason", "late")));
            assertEquals(0, last.value("vnettracer_undecodable_events_total", Map.of()));

            // (b) OTLP: every journey with a sighting is one trace, span for span.
            OtlpStats all = otlp[0].stats();
            assertTrue(all.complete(), all.toString());
            assertTrue(receiver.refused.isEmpty(), receiver.refused.toString());
            Map<ByteString, List<Span>> traces = byTrace(receiver.spans("/v1/traces"));
            List<TracedExport.Recorded> placed = journeys.stream().filter(j -> !j.probes().isEmpty()).toList();
            assertEquals(placed.size(), traces.size(), "one trace per journey with a sighting");
            assertEquals(journeys.size() - placed.size(), all.noSightings());
            Map<String, List<Long>> durations = new HashMap<>();
            long lostTraces = 0;
            for (TracedExport.Recorded j : placed) {
                long start = clock.toEpochNanos(j.timestamps()[0]);
                ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(j.identity()).putLong(start).array());
                List<Span> spans = traces.get(traceId);
                assertTrue(spans != null, "no trace for journey " + j);
                checkTrace(j, spans, clock, durations);
                if (j.dropProbe() != null) lostTraces++;
            }
            assertEquals(iptablesDrops, lostTraces, "traces with an error loss span: those the rule dropped");
            // The spans add up to the joiner's per-segment figures.
            for (Summary.Segment s : summary.segments()) {
                if (!s.flow().equals(flow.key().toString())) continue;
                List<Long> d = durations.getOrDefault(s.from() + " → " + s.to(), List.of());
                assertEquals(s.packets(), d.size(), "spans " + s.from() + " → " + s.to());
                double mean = d.stream().mapToLong(Long::longValue).average().orElse(0);
                assertEquals(s.latencyNs().mean(), mean, 1e-6 * Math.max(1, mean), "mean of " + s.from() + " → " + s.to());
            }

            // (b) OTLP sampled: exactly the journeys numbered 1, 1 + N, 1 + 2N, ...
            OtlpStats sampled = otlp[1].stats();
            assertTrue(sampled.complete(), sampled.toString());
            TreeSet<Long> expected = placed.stream().map(TracedExport.Recorded::sequence)
                    .filter(seq -> (seq - 1) % SAMPLE == 0).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<Long> got = byTrace(receiver.spans("/sampled/v1/traces")).values().stream()
                    .map(spans -> root(spans).getAttributesList().stream()
                            .filter(a -> a.getKey().equals("vnettracer.sequence")).findFirst().orElseThrow().getValue().getIntValue())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, got, "sampled journeys");
            System.out.printf("exports: sent %d, delivered %d, dropped %d (iptables %d, socket buffer %d); /metrics %d samples live,"
                            + " %d final; otlp %s; sampled 1 in %d: %s%n", COUNT, traffic.received, iptablesDrops + bufferDrops,
                    iptablesDrops, bufferDrops, live.samples.size(), last.samples.size(), all, SAMPLE, sampled);
        }
    }

    private static void checkTrace(TracedExport.Recorded j, List<Span> spans, ClockOffset clock, Map<String, List<Long>> durations) {
        int hops = j.probes().size();
        boolean dropped = j.dropProbe() != null;
        assertEquals(hops - 1 + 1 + (dropped ? 1 : 0), spans.size(), "spans of " + j);
        Span root = root(spans);
        long[] ts = j.timestamps();
        assertEquals(clock.toEpochNanos(ts[0]), root.getStartTimeUnixNano());
        assertEquals(clock.toEpochNanos(ts[hops - 1]), root.getEndTimeUnixNano());
        assertEquals(dropped ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET, root.getStatus().getCode());
        List<Span> children = new ArrayList<>(spans);
        children.remove(root);
        children.sort(java.util.Comparator.comparingLong(Span::getStartTimeUnixNano).thenComparing(s -> s.getStartTimeUnixNano() == s.getEndTimeUnixNano()));
        for (int i = 0; i + 1 < hops; i++) {
            Span s = children.get(i);
            String name = j.probes().get(i) + " → " + j.probes().get(i + 1);
            assertEquals(name, s.getName());
            assertEquals(root.getSpanId(), s.getParentSpanId());
            assertEquals(root.getTraceId(), s.getTraceId());
            long duration = s.getEndTimeUnixNano() - s.getStartTimeUnixNano();
            assertEquals(ts[i + 1] - ts[i], duration, name);
            assertEquals(Status.StatusCode.STATUS_CODE_UNSET, s.getStatus().getCode());
            durations.computeIfAbsent(name, k -> new ArrayList<>()).add(duration);
        }
        if (dropped) {
            Span loss = children.getLast();
            assertEquals(j.probes().getLast() + " → " + j.dropProbe(), loss.getName());
            assertEquals(root.getSpanId(), loss.getParentSpanId());
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, loss.getStatus().getCode());
            assertTrue(loss.getAttributesList().stream().anyMatch(a -> a.getKey().equals("vnettracer.drop.reason")
                    && a.getValue().getStringValue().startsWith("SKB_DROP_REASON_")), loss.toString());
        }
        assertEquals(spans.size(), spans.stream().map(Span::getSpanId).distinct().count(), "distinct span ids");
    }

    private static Span root(List<Span> spans) {
        List<Span> roots = spans.stream().filter(s -> s.getParentSpanId().isEmpty()).toList();
        assertEquals(1, roots.size(), "one root span");
        return roots.getFirst();
    }

    private static Map<ByteString, List<Span>> byTrace(List<Span> spans) {
        return spans.stream().collect(Collectors.groupingBy(Span::getTraceId));
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> m = new HashMap<>(labels);
        m.put(key, value);
        return m;
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
