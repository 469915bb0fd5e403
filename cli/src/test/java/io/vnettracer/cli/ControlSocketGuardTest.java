package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.cli.control.ControlServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket of a real trace against a user it does not serve, an oversize request and
 * more connections than it holds: each gets a reply saying why and its connection closed, idle
 * connections are closed after {@link ControlServer#REQUEST_TIMEOUT}, and a legitimate
 * {@code vnettracer ctl} is served afterwards.
 */
class ControlSocketGuardTest {
    /** A client run as user nobody: sends one request line, prints the reply line, then EOF once the server closes. */
    private static final String NOBODY_CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(10)
            s.connect(sys.argv[1])
            s.sendall(b'{"op":"list"}\\n')
            data = b''
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            print(data.decode().strip())
            print('EOF')
            """;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void foreignUsersOversizeRequestsAndSurplusConnectionsAreRefusedAndTheTraceKeepsServing(@TempDir Path dir) throws Exception {
        BackgroundTrace trace = new BackgroundTrace(dir, "--probe", "rx=kernel:netif_receive_skb:lo", "--duration", "25s", "--quiet");
        trace.awaitAttached();
        Path socket = trace.socket();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), "the socket is the owner's");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

        // Modes loosened (as for a shared group): the peer's credentials still keep another user out.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Process nobody = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/python3", "-I", "-c", NOBODY_CLIENT, socket.toString()).redirectErrorStream(true).start();
        assertTrue(nobody.waitFor(20, TimeUnit.SECONDS));
        String seen = new String(nobody.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("nobody got: " + seen.strip());
        assertEquals("{\"ok\":false,\"micros\":0,\"error\":\"user nobody may not control this trace: only root may\"}\nEOF\n", seen);

        try (SocketChannel big = connect(socket)) {
            big.write(ByteBuffer.wrap("x".repeat(70_000).getBytes(StandardCharsets.US_ASCII)));
            String reply = readLine(big, Duration.ofSeconds(10));
            System.out.println("70 000 bytes without a newline: " + reply);
            assertEquals("{\"ok\":false,\"micros\":0,\"error\":\"request larger than 65536 bytes; the connection is closed\"}", reply);
            assertNull(readLine(big, Duration.ofSeconds(5)), "and closed");
        }

        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < ControlServer.MAX_CONNECTIONS; i++) {
                idle.add(connect(socket));
            }
            long opened = System.nanoTime();
            try (SocketChannel surplus = connect(socket)) {
                String reply = readLine(surplus, Duration.ofSeconds(10));
                System.out.println("connection " + (ControlServer.MAX_CONNECTIONS + 1) + ": " + reply);
                assertEquals("{\"ok\":false,\"micros\":0,\"error\":\"too many control connections (8 open); try again when one ends\"}",
                        reply);
            }
            CommandLineRun crowdedOut = ctl(dir, "list");
            assertEquals(2, crowdedOut.exitCode(), crowdedOut.toString());
            assertTrue(crowdedOut.err().contains("too many control connections"), crowdedOut.err());
            for (SocketChannel c : idle) {
                String reply = readLine(c, Duration.ofSeconds(15));
                assertEquals("{\"ok\":false,\"micros\":0,\"error\":\"no complete request within 5 s; the connection is closed\"}",
                        reply);
            }
            long closedAfter = (System.nanoTime() - opened) / 1_000_000;
            System.out.println("the idle connections were closed after " + closedAfter + " ms");
            assertTrue(closedAfter >= 4_000 && closedAfter < 12_000, "closed by the request timeout: " + closedAfter + " ms");
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }

        CommandLineRun list = ctl(dir, "list");
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.out().contains("rx "), list.out());

        CommandLineRun run = trace.result();
        assertEquals(0, run.exitCode(), run.err());
        System.out.println("trace's stderr: " + run.err());
        assertTrue(run.err().contains("vnettracer trace: refused a control connection: user nobody may not control this trace"),
                run.err());
    }

    private static CommandLineRun ctl(Path runDir, String... args) {
        List<String> all = new ArrayList<>(List.of("ctl", "--run-dir", runDir.toString(), "--pid",
                String.valueOf(ProcessHandle.current().pid())));
        all.addAll(List.of(args));
        return CommandLineRun.of(all.toArray(String[]::new));
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    /** One line from {@code c}, or null at its end; fails if nothing comes within {@code limit}. */
    private static String readLine(SocketChannel c, Duration limit) throws Exception {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(limit);
                c.close();
            } catch (InterruptedException | IOException done) {
                // answered in time
            }
        });
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            while (true) {
                one.clear();
                int n;
                try {
                    n = c.read(one);
                } catch (java.nio.channels.AsynchronousCloseException timedOut) {
                    throw new AssertionError("no reply within " + limit + " (so far: '" + line + "')");
                } catch (IOException reset) {
                    n = -1;
                }
                if (n < 0) {
                    return line.isEmpty() ? null : line.toString();
                }
                if (one.get(0) == '\n') {
                    return line.toString();
                }
                line.append((char) one.get(0));
            }
        } finally {
            watchdog.interrupt();
        }
    }
}
