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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnettracer diagnose} on a path whose bridge port is shaped below the traffic's rate. */
class DiagnoseCommandTest {
    private static final int PORT = 40760;

    @Test
    void aShapedPortIsNamedWithItsQueue(@TempDir Path dir) throws Exception {
        Root.assume();
        Path json = dir.resolve("summary.json");
        UdpTraffic traffic = new UdpTraffic(1_500, 9).withReceiveBuffer(8 << 20);
        CommandLineRun run;
        try (BridgedNamespaces net = new BridgedNamespaces("vdiag", 106)) {
            Shell.run("tc", "-n", net.bridgeNamespace, "qdisc", "add", "dev", net.bPort, "root", "tbf",
                    "rate", "2mbit", "burst", "8kb", "latency", "2s");
            BackgroundTrace trace = BackgroundTrace.diagnose(dir, "--id", "tag", "--filter", "udp and port " + PORT,
                    "--json", json.toString(), "--duration", "4s",
                    "--probe", "app_tx=sock:" + net.a + ":send",
                    "--probe", "br_out=dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress",
                    "--probe", "b_in=dev:" + net.b + "/" + net.bInner + ":ingress",
                    "--probe", "app_rx=sock:" + net.b + ":recv",
                    "--probe", "drops=drops:" + net.b);
            trace.awaitAttached();
            traffic.run(net.a, net.b, net.bAddress, PORT, 1_000);
            run = trace.result();
        }
        assertEquals(0, run.exitCode(), run.err());
        System.out.print(run.out().substring(Math.max(0, run.out().indexOf("Diagnosis"))));
        assertTrue(run.out().contains("Diagnosis\n  1. udp "), run.out());
        JsonNode diagnosis = new ObjectMapper().readTree(json.toFile()).get("diagnosis");
        JsonNode top = diagnosis.get(0);
        assertEquals("br_out > b_in", top.get("segment").asText(), diagnosis.toString());
        assertEquals("queueing", top.get("cause").asText(), diagnosis.toString());
        assertTrue(top.get("share").asDouble() > 0.9, diagnosis.toString());
        assertTrue(top.get("explained_share").asDouble() > 0.5, "the queue explains most of the segment: " + diagnosis);
        assertTrue(top.get("evidence").asText().startsWith("tbf qdisc on vdiag-br/vdiag-b0"), diagnosis.toString());
    }
}
