package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.TagTestPrograms.SCRATCH;
import static org.junit.jupiter.api.Assertions.*;

import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.Codec;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.InNamespace;
import io.vnettracer.probe.testing.UdpSnmp;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real datagrams from namespace A through a bridge to namespace B, tagged at A's veth egress:
 * the application in B must read exactly the bytes sent, with or without a stripper, and neither
 * kernel may count a UDP or IP error.
 */
class UdpTagPathTest {
    private static final int PORT = 5353;
    private static final int DATAGRAMS = 200;
    private static final String[] ERROR_COUNTERS = {"Udp.InErrors", "Udp.InCsumErrors", "Udp.RcvbufErrors",
        "Udp.NoPorts", "Ip.InHdrErrors", "Ip.InAddrErrors", "Ip.InDiscards"};

    private final Random random = new Random(7);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private BridgedNamespaces net;
    private BpfMap counters;

    @BeforeEach
    void network() {
        Root.assume();
        net = new BridgedNamespaces("vtag", 60);
        counters = own(BpfMap.create(TagCounter.mapSpec("vtag_counters")));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aTracedReceiverGetsExactlyTheBytesSentAndEveryTagIsSeenOnTheWay() throws IOException {
        BpfMap written = attachWriter();
        BpfMap atBridge = seenTags("vtag_bridge");
        BpfMap stripped = seenTags("vtag_stripped");
        BpfMap afterStrip = seenTags("vtag_after");
        attach(net.bridgeNamespace, net.aPort, TcxDirection.INGRESS,
                TagTestPrograms.recordingTags("vtag_bridge", atBridge, a -> UdpTagReader.emit(a, R6, R7, SCRATCH)));
        UdpTagStripper stripper = new UdpTagStripper(counters);
        attach(net.b, net.bInner, TcxDirection.INGRESS,
                TagTestPrograms.recordingTags("vtag_strip", stripped, a -> stripper.emit(a, R6, R7, SCRATCH)));
        attach(net.b, net.bInner, TcxDirection.INGRESS,
                TagTestPrograms.recordingTags("vtag_after", afterStrip, a -> UdpTagReader.emit(a, R6, R7, SCRATCH)));

        exchangeAndCheck(randomSizes(DATAGRAMS, 1400));

        Map<Integer, Long> bridgeTags = tags(atBridge);
        assertEquals(DATAGRAMS, bridgeTags.size(), "the bridge port saw a distinct tag on every datagram");
        assertTrue(bridgeTags.values().stream().allMatch(n -> n == 1), "each tag once: " + bridgeTags.values());
        assertEquals(tags(written).keySet(), bridgeTags.keySet(), "the bridge saw the tags the writer wrote");
        assertEquals(bridgeTags.keySet(), tags(stripped).keySet(), "the stripper removed the tags the bridge saw");
        assertEquals(Map.of(), tags(afterStrip), "no trailer left after the stripper");
        assertEquals(0, counters.sumLong(TagCounter.STRIP_FAILED.ordinal()));
        assertEquals(0, counters.sumLong(TagCounter.OVER_MTU.ordinal()) + counters.sumLong(TagCounter.GSO.ordinal())
                + counters.sumLong(TagCounter.WRITE_FAILED.ordinal()), "every datagram was eligible");
    }

    @Test
    void anUntracedReceiverTrimsTheTrailerAndGetsExactlyTheBytesSent() throws IOException {
        attachWriter();
        BpfMap atReceiver = seenTags("vtag_receiver");
        attach(net.b, net.bInner, TcxDirection.INGRESS,
                TagTestPrograms.recordingTags("vtag_receiver", atReceiver, a -> UdpTagReader.emit(a, R6, R7, SCRATCH)));

        exchangeAndCheck(randomSizes(DATAGRAMS, 1400));

        assertEquals(DATAGRAMS, tags(atReceiver).size(), "every datagram reached B's kernel with its trailer");
    }

    @Test
    void aDatagramThatWouldOutgrowTheMtuIsSkippedCountedAndDeliveredIntact() throws IOException {
        int mtu = BridgedNamespaces.mtu(net.a, net.aInner);
        attachWriter();
        BpfMap atBridge = seenTags("vtag_bridge");
        attach(net.bridgeNamespace, net.aPort, TcxDirection.INGRESS,
                TagTestPrograms.recordingTags("vtag_bridge", atBridge, a -> UdpTagReader.emit(a, R6, R7, SCRATCH)));
        int largest = mtu - 20 - 8;                            // a full-MTU IPv4 datagram
        int largestTagged = largest - TagTrailer.LENGTH;

        exchangeAndCheck(List.of(payload(largest), payload(largestTagged), payload(largestTagged + 1)));

        assertEquals(2, counters.sumLong(TagCounter.OVER_MTU.ordinal()), "the two datagrams with no room are counted");
        assertEquals(1, tags(atBridge).size(), "the one with room carries a tag");
    }

    /** Attaches the writer at A's egress; returns the map of the tags it wrote. */
    private BpfMap attachWriter() {
        int mtu = BridgedNamespaces.mtu(net.a, net.aInner);
        UdpTagWriter writer = new UdpTagWriter(counters, mtu);
        BpfMap written = seenTags("vtag_written");
        attach(net.a, net.aInner, TcxDirection.EGRESS,
                TagTestPrograms.recordingTags("vtag_write", written, a -> writer.emit(a, R6, R7, SCRATCH)));
        return written;
    }

    /** Sends each payload from A, receives it in B, compares, and checks both kernels' error counters. */
    private void exchangeAndCheck(List<byte[]> payloads) throws IOException {
        Map<String, Long> senderBefore = UdpSnmp.of(net.a);
        Map<String, Long> receiverBefore = UdpSnmp.of(net.b);
        try (DatagramSocket receiver = InNamespace.call(net.b, () -> new DatagramSocket(new InetSocketAddress(net.bAddress, PORT)));
             DatagramSocket sender = InNamespace.call(net.a, () -> new DatagramSocket(new InetSocketAddress(net.aAddress, 0)))) {
            receiver.setSoTimeout(2000);
            InetSocketAddress to = new InetSocketAddress(net.bAddress, PORT);
            DatagramPacket in = new DatagramPacket(new byte[65536], 65536);
            for (int i = 0; i < payloads.size(); i++) {
                byte[] sent = payloads.get(i);
                sender.send(new DatagramPacket(sent, sent.length, to));
                in.setLength(in.getData().length);
                receiver.receive(in);
                assertArrayEquals(sent, Arrays.copyOf(in.getData(), in.getLength()),
                        "datagram " + i + " of " + sent.length + " bytes arrives exactly as sent");
            }
        }
        Map<String, Long> senderAfter = UdpSnmp.of(net.a);
        Map<String, Long> receiverAfter = UdpSnmp.of(net.b);
        assertEquals(payloads.size(), UdpSnmp.delta(receiverBefore, receiverAfter, "Udp.InDatagrams"));
        assertEquals(payloads.size(), UdpSnmp.delta(senderBefore, senderAfter, "Udp.OutDatagrams"));
        for (String counter : ERROR_COUNTERS) {
            assertEquals(0, UdpSnmp.delta(receiverBefore, receiverAfter, counter), "receiver " + counter);
            assertEquals(0, UdpSnmp.delta(senderBefore, senderAfter, counter), "sender " + counter);
        }
        assertEquals(0, UdpSnmp.delta(senderBefore, senderAfter, "Udp.SndbufErrors"), "sender Udp.SndbufErrors");
    }

    private void attach(String namespace, String ifname, TcxDirection direction, Program program) {
        own(program);
        own(InNamespace.call(namespace, () -> Link.tcx(program, ifname, direction)));
    }

    private BpfMap seenTags(String name) {
        return own(BpfMap.create(MapSpec.hash(name, 4, 8, 4096)));
    }

    private static Map<Integer, Long> tags(BpfMap seen) {
        return seen.typed(Codec.U32, Codec.U64).entries();
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    private List<byte[]> randomSizes(int count, int maxLength) {
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(new byte[0]);
        payloads.add(payload(1));
        payloads.add(payload(maxLength));
        while (payloads.size() < count) {
            payloads.add(payload(random.nextInt(maxLength + 1)));
        }
        return payloads;
    }

    private byte[] payload(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
