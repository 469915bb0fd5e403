package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventKind;
import io.vnettracer.sinks.events.EventFileReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnettracer trace} on real packets in a throw-away namespace. */
class TraceCommandTest {
    private static final int PORT = 40460;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void theJsonSummaryAndTheEventsFileCountWhatWasSent(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        Path events = dir.resolve("events.bin");
        try (VethPair net = new VethPair("vtrc", 60);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, PORT))) {
            // The path: queued on the namespace's end, received on the root namespace's end.
            BackgroundTrace trace = new BackgroundTrace(dir, "--probe", "tx=kernel:net_dev_queue:" + net.namespace + "/" + net.inner,
                    "--probe", "rx=kernel:netif_receive_skb:" + net.outer, "--duration", "3s", "--json", json.toString(), "--events", events.toString());
            trace.awaitAttached();
            int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 50);
            receiver.setSoTimeout(2000);
            for (int i = 0; i < sent; i++) {
                receiver.receive(new DatagramPacket(new byte[64], 64));
            }
            CommandLineRun run = trace.result();
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(sent > 40, "the sender got most datagrams out: " + sent);

            // Not a terminal here: one line per second, then the tables.
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith("[1s] events tx=")), run.out());
            assertTrue(run.out().contains("Flows\n"), run.out());
            assertTrue(run.out().contains("Segments of udp " + net.innerAddress), run.out());

            JsonNode summary = new ObjectMapper().readTree(json.toFile());
            assertEquals(io.vnettracer.journey.Summary.VERSION, summary.get("version").asInt());
            assertEquals("tx", summary.get("probes").get(0).get("name").asText());
            assertEquals("kernel:net_dev_queue:" + net.namespace + "/" + net.inner, summary.get("probes").get(0).get("spec").asText());
            assertEquals("rx", summary.get("probes").get(1).get("name").asText());
            assertTrue(summary.get("probes").get(0).get("events").asLong() >= sent, summary.toString());
            assertTrue(summary.get("probes").get(1).get("events").asLong() >= sent, summary.toString());
            assertEquals(0, summary.get("events_lost").asLong());
            JsonNode flow = null;
            for (JsonNode f : summary.get("flows")) {
                if (f.get("dport").asInt() == PORT) {
                    assertEquals(null, flow, "one flow to our port");
                    flow = f;
                }
            }
            assertTrue(flow != null, "our flow is in " + summary);
            assertEquals("udp", flow.get("proto").asText());
            assertEquals(net.innerAddress, flow.get("src").asText());
            assertEquals(net.outerAddress, flow.get("dst").asText());
            assertEquals(sent, flow.get("sent").asLong(), flow.toString());
            assertEquals(sent, flow.get("received").asLong(), flow.toString());
            assertEquals(0, flow.get("lost").asLong(), flow.toString());
            assertTrue(flow.get("latency_ns").get("p50").asLong() > 0, flow.toString());

            long[] toPort = new long[2];
            try (EventFileReader reader = new EventFileReader(events)) {
                long n = reader.forEach(e -> {
                    if (e.dstPort() == PORT && e.kind() == EventKind.PACKET) {
                        toPort[e.probeId()]++;
                    }
                });
                long inJson = summary.get("probes").get(0).get("events").asLong() + summary.get("probes").get(1).get("events").asLong();
                assertEquals(inJson, n, "the file holds every event the joiner got");
            }
            assertEquals(sent, toPort[0], "tx events to our port in the file");
            assertEquals(sent, toPort[1], "rx events to our port in the file");
            JsonNode segment = null;
            for (JsonNode sg : summary.get("segments")) {
                if (sg.get("flow").asText().endsWith(":" + PORT)) segment = sg;
            }
            assertTrue(segment != null, summary.toString());
            assertEquals("tx", segment.get("from").asText());
            assertEquals("rx", segment.get("to").asText());
            assertEquals(sent, segment.get("packets").asLong());
            assertEquals(1.0, segment.get("share").asDouble(), 1e-9);
            assertFalse(Files.exists(trace.socket()), "the control socket is removed at the end");
        }
    }

    @Test
    void aTraceThatSawNothingSaysWhereToLookAndStillExitsZero(@TempDir Path dir) {
        CommandLineRun run = CommandLineRun.of("trace", "--run-dir", dir.toString(), "--quiet", "--duration", "500ms",
                "--filter", "udp and port 1", "--probe", "lo_in=dev:lo:ingress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("vnettracer trace: no probe saw a packet that passed its filter: check the filter"),
                run.err());
    }
}
