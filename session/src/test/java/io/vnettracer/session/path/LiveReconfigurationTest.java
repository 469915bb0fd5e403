package io.vnettracer.session.path;

import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changing a live session under traffic: a new filter swapped into one probe, a probe added and
 * removed. No probe loses a record, not even the one whose program was swapped.
 */
class LiveReconfigurationTest {
    private static final int PORT = 40800;
    private static final int COUNT = 4000;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void filterSwapAndProbeChangesLoseNoRecord() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vrcf", 75)) {
            UdpTraffic traffic = new UdpTraffic(COUNT, 11);
            List<String> changes = new ArrayList<>();
            Summary summary;
            try (TracedPath path = new TracedPath(net, "udp and port " + PORT, IdentityMode.TAG)) {
                Thread changer = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(150);
                        changes.add("filter " + path.session.setFilter("br_in", "udp and dst port " + PORT + " and len > 20") + " us");
                        Thread.sleep(100);
                        changes.add("add " + path.session.addProbe(ProbeDefinition.recording("extra",
                                ProbeSpecParser.parse("dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress"))) + " us");
                        Thread.sleep(100);
                        changes.add("sample " + path.session.setSample("extra", 2) + " us");
                        Thread.sleep(100);
                        changes.add("remove " + path.session.removeProbe("extra") + " us");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                traffic.run(net.a, net.b, net.bAddress, PORT, 5000);
                changer.join();
                Thread.sleep(200);
                summary = path.finish();
            }
            System.out.println("live changes took: " + changes);
            assertEquals(4, changes.size(), "every change was made while traffic flowed: " + changes);
            // A receiver starved of CPU may overflow its socket buffer: what reached the application
            // is the ground truth for the last probe, every datagram sent for the others.
            for (Summary.Probe p : summary.probes()) {
                if (TracedPath.PATH.contains(p.name())) {
                    long expected = p.name().equals("app_rx") ? traffic.received : COUNT;
                    assertEquals(expected, p.events(), "events at " + p.name());
                    assertEquals(0, p.lost(), "ring losses at " + p.name());
                }
            }
            Summary.Flow flow = summary.flows().get(0);
            assertEquals(COUNT, flow.sent());
            assertEquals(traffic.received, flow.received());
            assertTrue(summary.segments().stream().filter(s -> !s.to().equals("app_rx")).allMatch(s -> s.lost() == 0),
                    "segments: " + summary.segments());
        }
    }
}
