package io.vnettracer.session.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.testing.BridgedNamespaces;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real TCP connection across the reference path, request and response: every data segment the
 * client sends is seen at each probe, from the client's socket to the server application's read.
 */
class TcpPathTest {
    private static final int PORT = 40600;
    private static final int ROUNDS = 300;
    private static final int MESSAGE = 100;

    @BeforeEach
    void root() {
        Root.assume();
    }

    /** Record mode with either identity, or aggregate mode (in the kernel; a segment ends as it reaches its socket). */
    enum Mode { RECORD_TAG, RECORD_FINGERPRINT, AGGREGATE }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyRequestSegmentIsFollowedFromSocketToSocket(Mode mode) throws Exception {
        IdentityMode identity = mode == Mode.RECORD_TAG ? IdentityMode.TAG : IdentityMode.FINGERPRINT;
        try (BridgedNamespaces net = new BridgedNamespaces("vtcp", mode == Mode.RECORD_TAG ? 73 : mode == Mode.AGGREGATE ? 78 : 79)) {
            Summary summary;
            // Data segments only: a 100-byte request is longer than any bare ACK or SYN under every
            // probe's meaning of len.
            String filter = "tcp and dst port " + PORT + " and len > " + (MESSAGE - 10);
            long[] tagged = new long[1];
            try (TracedPath path = mode == Mode.AGGREGATE ? TracedPath.aggregating(net, filter) : new TracedPath(net, filter, identity, e -> {
                if (e.probeId() == 2 && e.tag() != 0) {
                    tagged[0]++;
                }
            })) {
                pingPong(net);
                Thread.sleep(200);
                summary = path.finish();
            }
            // In tag mode every request carries the sock_ops option, seen at the bridge (probe 2).
            assertEquals(identity == IdentityMode.TAG ? ROUNDS : 0, tagged[0], "tagged requests at br_in");
            List<Summary.Flow> flows = summary.flows().stream().filter(f -> f.proto().equals("tcp")).toList();
            assertEquals(1, flows.size(), "flows: " + summary.flows());
            Summary.Flow flow = flows.get(0);
            assertEquals(TracedPath.PATH, flow.path());
            assertEquals(ROUNDS, flow.sent());
            assertEquals(ROUNDS, flow.received());
            assertEquals(0, flow.lost());
            summary.segments().forEach(s -> assertEquals(ROUNDS, s.packets(), s.from() + " > " + s.to()));
        }
    }

    /** The client in A sends ROUNDS requests; the server in B answers each before the next. */
    private static void pingPong(BridgedNamespaces net) throws Exception {
        ServerSocket server;
        try (NetNamespace b = NetNamespace.named(net.b)) {
            server = b.run(() -> new ServerSocket(PORT, 1, java.net.InetAddress.getByName(net.bAddress)));
        }
        Thread serverThread = Thread.ofPlatform().start(() -> {
            try (server; Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[MESSAGE];
                for (int i = 0; i < ROUNDS; i++) {
                    in.readFully(buf);
                    out.write(buf, 0, 10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (NetNamespace a = NetNamespace.named(net.a)) {
            a.execute(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(net.bAddress, PORT), 2000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    Random random = new Random(7);
                    byte[] request = new byte[MESSAGE];
                    byte[] answer = new byte[10];
                    for (int i = 0; i < ROUNDS; i++) {
                        random.nextBytes(request);
                        s.getOutputStream().write(request);
                        in.readFully(answer);
                        byte[] expected = java.util.Arrays.copyOf(request, 10);
                        assertArrayEquals(expected, answer);
                    }
                }
            });
        }
        serverThread.join();
    }
}
