package io.vnettracer.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Sends one request to a running trace's control socket and returns its reply. */
public final class ControlClient {
    /** A change attaches programs; allow it time, but do not hang on a trace that stopped answering. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlClient() {}

    /** Unblocks a read that waited too long; the read then fails and says so. */
    private static void abort(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    public static JsonNode send(Path socket, JsonNode request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(TIMEOUT);
                    abort(channel);
                } catch (InterruptedException done) {
                    // the reply came in time
                }
            });
            try {
                Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
                out.write(JSON.writeValueAsString(request));
                out.write('\n');
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("the trace closed the connection without a reply (within " + TIMEOUT.toSeconds() + " s)");
                }
                return JSON.readTree(line);
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to the trace at " + socket + ": " + e.getMessage(), e);
        }
    }
}
