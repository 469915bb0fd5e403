package io.vnettracer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Traffic;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An idle session's drain thread backs off (EventPump): it looks at the empty ring a few dozen times
 * a second, not every 5 ms, and the packets that come after the idleness are still drained whole.
 */
class IdleDrainTest {
    private static final int PORT = 40471;

    @BeforeEach
    void root() {
        Root.assume();
    }

    private static final class Counting implements EventConsumer {
        final AtomicLong passes = new AtomicLong();
        final AtomicLong rx = new AtomicLong();
        final AtomicLong app = new AtomicLong();

        @Override
        public void onEvent(EventView e) {
            if (e.dstPort() == PORT && e.kind() == EventKind.PACKET) (e.probeId() == 0 ? rx : app).incrementAndGet();
        }

        @Override
        public void afterDrain(int events) {
            passes.incrementAndGet();
        }
    }

    @Test
    void anIdleSessionPassesOverItsRingAFewDozenTimesASecondAndABurstAfterwardsIsDrainedWhole() throws Exception {
        try (VethPair net = new VethPair("vpjidle", 171);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, PORT))) {
            TracingScript script = new TracingScript(List.of(
                    ProbeDefinition.recording("rx", ProbeSpecParser.parse("kernel:netif_receive_skb:" + net.outer)),
                    ProbeDefinition.recording("app", ProbeSpecParser.parse("sock::recv"))),
                    // Other tests on this machine receive UDP in this namespace too: their events would wake it.
                    "udp and port " + PORT, IdentityMode.FINGERPRINT);
            Counting counting = new Counting();
            try (TraceSession session = TraceSession.start(script, FilterCompiler.PCAP, counting, SessionOptions.DEFAULT)) {
                Thread.sleep(500);
                long before = counting.passes.get();
                long start = System.nanoTime();
                Thread.sleep(2000);
                double perSecond = (counting.passes.get() - before) * 1e9 / (System.nanoTime() - start);
                // A pass every 5 ms was ~200 a second; backed off to 20 ms it is ~50.
                assertTrue(perSecond < 80, "the idle drain thread passed over the ring " + perSecond + " times a second");

                int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, PORT, 200); // what the socket buffer holds unread
                receiver.setSoTimeout(2000);
                byte[] buf = new byte[64];
                for (int i = 0; i < sent; i++) receiver.receive(new DatagramPacket(buf, buf.length));
                Thread.sleep(100);
                session.status().forEach(s -> assertEquals(0, s.lost(), s.name() + " lost events"));
                assertEquals(sent, counting.rx.get(), "netif_receive_skb on " + net.outer);
                assertEquals(sent, counting.app.get(), "copied to the application");
            }
        }
    }
}
