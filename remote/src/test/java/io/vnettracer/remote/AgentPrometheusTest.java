package io.vnettracer.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.remote.proto.AgentGrpc;
import io.vnettracer.remote.proto.StartRequest;
import io.vnettracer.remote.proto.StopRequest;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent given a Prometheus address joins its own probes and serves them while it traces: a UDP
 * burst over a veth pair shows up in /metrics, fetched over HTTP, as exactly the datagrams sent at
 * each probe, with the agent's stream and spool gauges alongside. No collector is connected, so
 * every sealed batch stays unacknowledged.
 */
class AgentPrometheusTest {
    private static final int SENT = 500;
    private static final int PORT = 9461;

    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void servesTheNodesOwnProbesWhileItTraces() throws Exception {
        Path tls = TestPki.create(tmp.resolve("tls"), "vm1");
        try (VethPair net = new VethPair("vtlv", 48);
             AgentServer agent = AgentServer.start(new AgentConfig("vm1", new InetSocketAddress("127.0.0.1", 0), tls,
                     AgentConfig.DEFAULT_SPOOL_BYTES, 0, SessionOptions.DEFAULT, new ListenAddress("127.0.0.1", 0)),
                     System.out::println)) {
            assertNull(agent.metricsAddress(), "nothing is served before a trace starts");
            ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + agent.port(),
                    MutualTls.client(new TlsFiles(tls, TlsFiles.DEFAULT_COLLECTOR))).overrideAuthority("vm1").build();
            try {
                AgentGrpc.AgentBlockingStub rpc = AgentGrpc.newBlockingStub(channel);
                rpc.start(StartRequest.newBuilder().setTraceId("t-metrics").setScript("filter udp and port " + PORT + "\n"
                        + "probe tx dev:" + net.namespace + "/" + net.inner + ":egress\n"
                        + "probe rx dev:" + net.outer + ":ingress\n").build());
                ListenAddress metrics = agent.metricsAddress();
                assertNotNull(metrics);
                int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, SENT);

                String text = "";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline) {
                    text = scrape(metrics);
                    // flows appear once their journeys are final (the joiner's 2 s timeout)
                    if (value(text, "vnettracer_probe_events_total", "probe=\"rx\"") == sent
                            && value(text, "vnettracer_flow_sent_packets_total", "dport=\"" + PORT + "\"") == sent) {
                        break;
                    }
                    Thread.sleep(250);
                }
                long tx = value(text, "vnettracer_probe_events_total", "probe=\"tx\"");
                long rx = value(text, "vnettracer_probe_events_total", "probe=\"rx\"");
                long flowSent = value(text, "vnettracer_flow_sent_packets_total", "dport=\"" + PORT + "\"");
                long unacked = value(text, "vnettracer_agent_batches_unacknowledged", "");
                long spoolBytes = value(text, "vnettracer_agent_spool_bytes", "");
                System.out.printf("agent metrics at %s: sent %d, probe tx %d, rx %d, flow sent %d, ring lost tx %d rx %d,"
                                + " batches unacknowledged %d, spool bytes %d, spool dropped records %d%n", metrics, sent, tx, rx,
                        flowSent, value(text, "vnettracer_probe_ring_lost_events_total", "probe=\"tx\""),
                        value(text, "vnettracer_probe_ring_lost_events_total", "probe=\"rx\""), unacked, spoolBytes,
                        value(text, "vnettracer_agent_spool_dropped_records", ""));
                assertEquals(sent, tx, "tx events = datagrams sent");
                assertEquals(sent, rx, "rx events = datagrams sent");
                assertEquals(sent, flowSent, "the flow's sent packets");
                assertTrue(unacked > 0 && spoolBytes > 0, "no collector: the batches stay spooled");
                assertEquals(0, value(text, "vnettracer_agent_batches_sent", ""));

                rpc.stop(StopRequest.getDefaultInstance());
                String last = scrape(metrics);
                assertEquals(1, value(last, "vnettracer_trace_finished", ""), "final figures after stop");
                assertEquals(sent, value(last, "vnettracer_probe_events_total", "probe=\"rx\""));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String scrape(ListenAddress at) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + at + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    /** The value of the sample of {@code metric} whose labels contain {@code label}; -1 if there is none. */
    private static long value(String text, String metric, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(label)) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }
}
