package io.vnettracer.session.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.EventKind;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A receiver that falls behind: its socket buffer overflows and the kernel refuses datagrams after
 * the socket filter saw them. The socket receive probe must still attribute every read to the
 * datagram the application actually got, in order.
 */
class SocketBufferOverflowTest {
    private static final int PORT = 41000;
    private static final int BURST = 600;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void readsPairWithTheDatagramsReadEvenWhenTheBufferOverflowed() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vovf", 77)) {
            List<Long> tracedSeqs = new ArrayList<>();
            List<Long> readSeqs = new ArrayList<>();
            TracingScript script = new TracingScript(List.of(
                    ProbeDefinition.recording("app_rx", ProbeSpecParser.parse("sock:" + net.b + ":recv"))),
                    "udp and port " + PORT, IdentityMode.FINGERPRINT);
            TraceSession.SocketPairing pairing;
            try (TraceSession session = TraceSession.start(script, FilterCompiler.PCAP, e -> {
                if (e.kind() == EventKind.PACKET) {
                    tracedSeqs.add(e.l4Data());
                }
            }, SessionOptions.DEFAULT);
                 NetNamespace b = NetNamespace.named(net.b);
                 NetNamespace a = NetNamespace.named(net.a)) {
                DatagramSocket receiver = b.run(() -> {
                    DatagramSocket s = new DatagramSocket(new InetSocketAddress(net.bAddress, PORT));
                    s.setReceiveBufferSize(8192);
                    return s;
                });
                try (receiver) {
                    a.execute(() -> {
                        try (DatagramSocket sender = new DatagramSocket()) {
                            byte[] payload = new byte[200];
                            for (long i = 0; i < BURST; i++) {
                                ByteBuffer.wrap(payload).putLong(0, i);
                                sender.send(new DatagramPacket(payload, payload.length,
                                        new InetSocketAddress(net.bAddress, PORT)));
                            }
                        }
                    });
                    receiver.setSoTimeout(300);
                    byte[] buf = new byte[512];
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            receiver.receive(p);
                        } catch (SocketTimeoutException done) {
                            break;
                        }
                        readSeqs.add(ByteBuffer.wrap(buf).getLong(0));
                    }
                }
                Thread.sleep(100);
                session.close();
                pairing = session.socketPairing();
            }
            assertTrue(readSeqs.size() < BURST, "the small buffer overflowed: read " + readSeqs.size());
            assertEquals(BURST - readSeqs.size(), pairing.refused(), "every refused datagram was taken back");
            assertEquals(readSeqs, tracedSeqs, "each read is the datagram the application got");
            assertEquals(0, pairing.unpairedReads());
            assertEquals(0, pairing.missing(), "no position left empty: each refusal moved the tail back");
            assertEquals(0, pairing.unread());
        }
    }
}
