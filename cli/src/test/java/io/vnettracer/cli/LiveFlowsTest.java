package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.testing.BridgedNamespaces;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live trace shows a new flow as soon as its first packet is seen, not once its journey's 2 s
 * timeout has passed: 20 new UDP flows across a bridge, one datagram each, and the time from each
 * send until the flow is in what {@code --prometheus} serves (what a scrape, and the live view,
 * see), its packet counted as open. docs/JOURNEYS.md, "Live summaries".
 */
class LiveFlowsTest {
    private static final int PORT = 40760;
    private static final int FIRST_SOURCE_PORT = 41760;
    private static final int FLOWS = 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @BeforeEach
    void root() {
        Root.assume();
    }

    /**
     * Record mode: the flow is listed with its packet open (its journey waits for its timeout).
     * Aggregate mode: the journey ended in the kernel at the terminal probe, so the flow is listed
     * with its packet sent and received.
     */
    @ParameterizedTest
    @ValueSource(strings = {"record", "aggregate"})
    void aNewFlowIsVisibleWellBeforeItsJourneyTimesOut(String mode, @TempDir Path dir) throws Exception {
        boolean aggregate = mode.equals("aggregate");
        int metricsPort = freePort();
        URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        long[] visibleAfter = new long[FLOWS];
        List<String> firstSeen = new ArrayList<>();
        CommandLineRun run;
        try (BridgedNamespaces net = new BridgedNamespaces("vplive", aggregate ? 172 : 171)) {
            BackgroundTrace trace = new BackgroundTrace(dir, "--quiet", "--mode", mode, "--id", aggregate ? "fingerprint" : "tag",
                    "--filter", "udp and port " + PORT,
                    "--duration", "15s", "--prometheus", "127.0.0.1:" + metricsPort,
                    "--probe", "a_out=dev:" + net.a + "/" + net.aInner + ":egress",
                    "--probe", "b_in=dev:" + net.b + "/" + net.bInner + ":ingress");
            trace.awaitAttached();
            try (DatagramSocket receiver = NetNamespace.named(net.b).run(() -> new DatagramSocket(new InetSocketAddress(net.bAddress, PORT)))) {
                List<DatagramSocket> senders = new ArrayList<>();
                try {
                    NetNamespace.named(net.a).run(() -> {
                        for (int i = 0; i < FLOWS; i++) {
                            senders.add(new DatagramSocket(new InetSocketAddress(net.aAddress, FIRST_SOURCE_PORT + i)));
                        }
                        return null;
                    });
                    InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(net.bAddress), PORT);
                    scrape(metrics); // serving
                    for (int i = 0; i < FLOWS; i++) {
                        // Apart, as new flows come in a real network: the figure is the first packet's, not a queue's.
                        Thread.sleep(300);
                        String series = "sport=\"" + (FIRST_SOURCE_PORT + i) + "\"";
                        long sent = System.nanoTime();
                        senders.get(i).send(new DatagramPacket(new byte[64], 64, to));
                        String body;
                        while (!(body = scrape(metrics)).contains(series)) {
                            if (System.nanoTime() - sent > 5_000_000_000L) {
                                throw new AssertionError("flow from port " + (FIRST_SOURCE_PORT + i) + " not served after 5 s");
                            }
                            Thread.sleep(2);
                        }
                        visibleAfter[i] = System.nanoTime() - sent;
                        assertTrue(visibleAfter[i] < 1_000_000_000L, "flow from port " + (FIRST_SOURCE_PORT + i) + " served after "
                                + visibleAfter[i] / 1_000_000 + " ms: not before its journey's 2 s timeout");
                        firstSeen.add(line(body, "vnettracer_flow_open_packets", series) + " | "
                                + line(body, "vnettracer_flow_sent_packets_total", series));
                    }
                } finally {
                    for (DatagramSocket s : senders) s.close();
                }
            }
            run = trace.result();
        }
        assertEquals(0, run.exitCode(), run.err());
        long[] sorted = visibleAfter.clone();
        Arrays.sort(sorted);
        String figures = String.format(mode + ": new flow visible after: median %.1f ms, max %.1f ms, min %.1f ms over %d flows",
                sorted[FLOWS / 2] / 1e6, sorted[FLOWS - 1] / 1e6, sorted[0] / 1e6, FLOWS);
        System.out.println(figures);
        for (int i = 0; i < FLOWS; i++) {
            String expected = aggregate
                    ? "vnettracer_flow_open_packets\\{.*} 0\\.0 \\| vnettracer_flow_sent_packets_total\\{.*} 1\\.0"
                    : "vnettracer_flow_open_packets\\{.*} 1\\.0 \\| vnettracer_flow_sent_packets_total\\{.*} 0\\.0";
            assertTrue(firstSeen.get(i).matches(expected), (aggregate ? "first seen with its one packet sent (ended in the kernel): "
                    : "first seen with its one packet open, not yet sent: ") + firstSeen.get(i));
        }
    }

    private static String scrape(URI metrics) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The line of {@code metric} whose labels hold {@code series}, or "(none)". */
    private static String line(String body, String metric, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*" + Pattern.quote(series) + "[^}]*} .*$").matcher(body);
        return m.find() ? m.group() : "(none: " + metric + ")";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
