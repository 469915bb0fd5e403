package io.vnettracer.session.path;

import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpSnmp;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tags never break a receiver the tracer does not watch: with only the sender traced in tag mode,
 * every datagram leaves tagged and nothing strips it, yet the application behind the untraced
 * receiving kernel gets exactly the bytes sent and that kernel counts no error.
 */
class UntracedReceiverTest {
    private static final int PORT = 40700;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void taggedDatagramsReachAnUntracedReceiverIntact() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vunt", 74)) {
            List<ProbeDefinition> probes = List.of(
                    ProbeDefinition.recording("a_out", ProbeSpecParser.parse("dev:" + net.a + "/" + net.aInner + ":egress")),
                    ProbeDefinition.recording("br_out", ProbeSpecParser.parse("dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress")));
            long[] tagged = new long[1];
            Map<String, Long> before = UdpSnmp.of(net.b);
            UdpTraffic traffic = new UdpTraffic(500, 3);
            try (TraceSession session = TraceSession.start(new TracingScript(probes, "udp and port " + PORT, IdentityMode.TAG),
                    FilterCompiler.PCAP, e -> {
                        if (e.probeId() == 1 && e.tag() != 0) {
                            tagged[0]++;
                        }
                    }, SessionOptions.DEFAULT)) {
                traffic.run(net.a, net.b, net.bAddress, PORT, 5000);
            }
            Map<String, Long> after = UdpSnmp.of(net.b);
            assertEquals(500, tagged[0], "every datagram left the sender tagged and crossed the bridge tagged");
            assertEquals(500, traffic.received);
            assertEquals(0, traffic.corrupted, "the untraced application got exactly the bytes sent");
            for (String counter : List.of("Udp.InErrors", "Udp.InCsumErrors", "Udp.RcvbufErrors", "Ip.InHdrErrors")) {
                assertEquals(0, UdpSnmp.delta(before, after, counter), counter);
            }
            assertTrue(UdpSnmp.delta(before, after, "Udp.InDatagrams") >= 500);
        }
    }
}
