package io.vnettracer.session.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.event.EventKind;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.testing.BridgedNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real connection read in pieces that do not match its segments: reads of 1 byte, 1 000 bytes
 * and 64 KiB, with MSG_PEEK reads mixed in. Every data segment the sender's socket sent is
 * delivered at the reading socket exactly once, in sequence order, and a peek delivers nothing.
 */
class TcpReadSizesTest {
    private static final int PORT = 40710;
    private static final int APP_TX = 0;
    private static final int APP_RX = 5;

    /** Reads 1, 1000, 65536 bytes in turn, peeking before every fifth read; prints the bytes read. */
    private static final String RECEIVER = """
            import socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(1)
            print("listening", flush=True)
            c, _ = s.accept()
            sizes = [1, 1000, 65536]
            total = 0
            i = 0
            while True:
                n = sizes[i % 3]
                i += 1
                if i % 5 == 0:
                    c.recv(n, socket.MSG_PEEK)
                d = c.recv(n)
                if not d:
                    break
                total += len(d)
            print(total, flush=True)
            """;

    /** Sends 1500 writes of 1 to 3000 bytes (no Nagle), a little apart; prints the bytes sent. */
    private static final String SENDER = """
            import socket, sys, random, time
            random.seed(11)
            c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            total = 0
            for i in range(1500):
                n = random.randint(1, 3000)
                c.sendall(bytes(n))
                total += n
                if i % 10 == 0:
                    time.sleep(0.001)
            c.close()
            print(total, flush=True)
            """;

    @TempDir
    Path dir;

    @Test
    void everySegmentIsDeliveredOnceInOrder() throws Exception {
        Root.assume();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
        Path receiver = Files.writeString(dir.resolve("receiver.py"), RECEIVER);
        Path sender = Files.writeString(dir.resolve("sender.py"), SENDER);
        try (BridgedNamespaces net = new BridgedNamespaces("vtcpr", 98)) {
            List<Integer> sentSeqs = new ArrayList<>();
            List<Integer> deliveredSeqs = new ArrayList<>();
            long[] payloadSent = new long[1];
            Summary summary;
            Process server = new ProcessBuilder("ip", "netns", "exec", net.b, "/usr/bin/python3", receiver.toString(),
                    net.bAddress, Integer.toString(PORT)).redirectErrorStream(true).start();
            String received;
            String sentBytes;
            try (TracedPath path = new TracedPath(net, "tcp and dst port " + PORT, IdentityMode.TAG, e -> {
                if (e.kind() != EventKind.PACKET || e.tcpPayloadLength() <= 0) {
                    return;
                }
                if (e.probeId() == APP_TX) {
                    sentSeqs.add(e.tcpSeq());
                    payloadSent[0] += e.tcpPayloadLength();
                } else if (e.probeId() == APP_RX) {
                    deliveredSeqs.add(e.tcpSeq());
                }
            })) {
                var serverOut = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
                assertEquals("listening", serverOut.readLine());
                sentBytes = Shell.run("ip", "netns", "exec", net.a, "/usr/bin/python3", sender.toString(), net.bAddress,
                        Integer.toString(PORT)).strip();
                received = serverOut.readLine();
                assertTrue(server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the receiver ended");
                Thread.sleep(200);
                summary = path.finish();
            } finally {
                server.destroyForcibly();
            }
            String context = "sent " + sentBytes + " bytes in " + sentSeqs.size() + " segments, read " + received
                    + "; delivered " + deliveredSeqs.size() + "; counters " + summary.counters();
            assertTrue(sentSeqs.size() > 100, "the writes made many segments: " + context);
            assertEquals(sentBytes, received, "the application read every byte: " + context);
            assertEquals(Long.parseLong(sentBytes), payloadSent[0], "the send probe saw every byte: " + context);
            assertEquals(sentSeqs, deliveredSeqs, "every segment delivered once, in the order sent: " + context);
        }
    }
}
