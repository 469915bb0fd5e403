package io.vnettracer.cli.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running trace's control socket: accepts connections on a Unix domain socket and answers
 * each request line with a reply line ({@link ControlProtocol}). One platform thread accepts and
 * one serves each connection: probes in other namespaces are attached from the serving thread
 * moved into the namespace, which a virtual thread cannot be. {@link #close()} stops listening
 * and removes the socket file.
 */
public final class ControlServer implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlHandler handler;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, ControlHandler handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
    }

    /** Listens on {@code socket} (which must not exist) and serves requests until closed. */
    public static ControlServer start(Path socket, ControlHandler handler) {
        ServerSocketChannel server;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        ControlServer s = new ControlServer(socket, server, handler);
        Thread.ofPlatform().name("vnettracer-control").daemon(true).start(s::acceptLoop);
        return s;
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                Thread.ofPlatform().name("vnettracer-control-client").daemon(true).start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("vnettracer: the control socket stopped accepting: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             Writer out = Channels.newWriter(client, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String reply = line.length() > ControlProtocol.MAX_LINE
                        ? "{\"ok\":false,\"micros\":0,\"error\":\"request longer than " + ControlProtocol.MAX_LINE + " bytes\"}"
                        : handler.handle(line);
                out.write(reply);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            clients.remove(client);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way we could act on
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // same
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            System.err.println("vnettracer: cannot remove " + socket + ": " + e.getMessage());
        }
    }
}
