package io.vnettracer.session.path;

import io.vnettracer.probe.testing.UdpTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.SessionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference path traced the way kernels before 6.6 (no TCX) need it: device probes as tc
 * clsact filters. Same answers, tags included, and every filter and qdisc gone afterwards.
 */
class LegacyTcPathTest {
    private static final int PORT = 41200;
    private static final int COUNT = 1000;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tcFiltersTraceThePathAndLeaveNothingBehind(boolean aggregate) throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vlgc", aggregate ? 81 : 80)) {
            UdpTraffic traffic = new UdpTraffic(COUNT, 9);
            Summary summary;
            try (TracedPath path = aggregate ? TracedPath.aggregating(net, "udp and port " + PORT, SessionOptions.DEFAULT.withLegacyTc())
                    : new TracedPath(net, "udp and port " + PORT, IdentityMode.TAG, e -> { }, SessionOptions.DEFAULT.withLegacyTc())) {
                String filters = Shell.run("ip", "netns", "exec", net.bridgeNamespace, "tc", "filter", "show", "dev", net.aPort, "ingress");
                assertTrue(filters.contains("vnt-"), "our filter is on the bridge port: " + filters);
                traffic.run(net.a, net.b, net.bAddress, PORT, 5000);
                Thread.sleep(200);
                summary = path.finish();
            }
            assertEquals(0, traffic.corrupted, "the application got exactly the bytes sent");
            Summary.Flow flow = summary.flows().get(0);
            assertEquals(TracedPath.PATH, flow.path());
            assertEquals(COUNT, flow.sent());
            assertEquals(traffic.received, flow.received());
            for (String[] dev : new String[][] {{net.a, net.aInner}, {net.bridgeNamespace, net.aPort},
                    {net.bridgeNamespace, net.bPort}, {net.b, net.bInner}}) {
                String qdiscs = Shell.run("ip", "netns", "exec", dev[0], "tc", "qdisc", "show", "dev", dev[1]);
                assertTrue(!qdiscs.contains("clsact"), "clsact removed from " + dev[1] + ": " + qdiscs);
            }
        }
    }
}
