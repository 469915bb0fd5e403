package io.vnettracer.cli.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The running trace's control socket: accepts connections on a Unix domain socket and answers
 * each request line with a reply line ({@link ControlProtocol}). One platform thread accepts and
 * one serves each connection: probes in other namespaces are attached from the serving thread
 * moved into the namespace, which a virtual thread cannot be. {@link #close()} stops listening
 * and removes the socket file.
 *
 * <p>Whoever reaches the socket can attach kernel programs, so besides the directory's and the
 * socket's modes (0700, 0600) the server checks each peer's credentials (SO_PEERCRED): only root
 * and the tracer's own user are served. It holds at most {@link #MAX_CONNECTIONS} connections,
 * reads at most {@link ControlProtocol#MAX_LINE} bytes of a request before it must end, and closes
 * a connection whose request is not complete within {@link #REQUEST_TIMEOUT}. Each refusal is
 * answered with a failure reply saying why, then the connection is closed; refusals are counted
 * and logged (at most one line a second, with the count).
 */
public final class ControlServer implements AutoCloseable {
    public static final int MAX_CONNECTIONS = 8;
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;
    private static final Duration DRAIN_TIME = Duration.ofSeconds(1);
    private static final int MAX_DRAINING = 16;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlHandler handler;
    private final Consumer<String> log;
    private final UserPrincipal root;
    private final UserPrincipal self;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("vnettracer-control-timeouts").daemon(true).unstarted(r));
    private final AtomicLong refused = new AtomicLong();
    private final Semaphore draining = new Semaphore(MAX_DRAINING);
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, ControlHandler handler, Consumer<String> log,
                          UserPrincipal root, UserPrincipal self) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.log = log;
        this.root = root;
        this.self = self;
    }

    /**
     * Listens on {@code socket} (which must not exist; mode 0600) and serves requests until closed;
     * {@code log} gets the lines about refused connections.
     */
    public static ControlServer start(Path socket, ControlHandler handler, Consumer<String> log) {
        ServerSocketChannel server;
        UserPrincipal root;
        UserPrincipal self;
        try {
            var users = socket.getFileSystem().getUserPrincipalLookupService();
            root = users.lookupPrincipalByName("0");
            self = RunDirectory.processUser();
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        // bind(2) applies only the umask: bound under a name nobody looks for, made the owner's, then
        // renamed into place, so the socket never appears with looser modes
        Path binding = socket.resolveSibling("." + socket.getFileName() + ".binding");
        try {
            if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("a file is already there");
            }
            Files.deleteIfExists(binding);
            server.bind(UnixDomainSocketAddress.of(binding));
            Files.setPosixFilePermissions(binding, PosixFilePermissions.fromString("rw-------"));
            Files.move(binding, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                server.close();
                Files.deleteIfExists(binding);
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new UncheckedIOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        ControlServer s = new ControlServer(socket, server, handler, log, root, self);
        Thread.ofPlatform().name("vnettracer-control").daemon(true).start(s::acceptLoop);
        return s;
    }

    public Path socket() {
        return socket;
    }

    /** Connections refused so far (a foreign user, too many connections, an oversize or unfinished request). */
    public long refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.accept("the control socket stopped accepting: " + e.getMessage());
                }
                return;
            }
            String refusal = admit(client);
            if (refusal != null) {
                refuse(client, refusal);
                closeAfterDrain(client);
                continue;
            }
            clients.add(client);
            if (clients.size() > MAX_CONNECTIONS) { // only this thread adds, so the count cannot overshoot by more
                clients.remove(client);
                refuse(client, "too many control connections (" + MAX_CONNECTIONS + " open); try again when one ends");
                closeAfterDrain(client);
                continue;
            }
            Thread.ofPlatform().name("vnettracer-control-client").daemon(true).start(() -> serve(client));
        }
    }

    /** Null if the peer may use the socket, otherwise why not. */
    private String admit(SocketChannel client) {
        UnixDomainPrincipal peer;
        try {
            peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException e) {
            return "the peer's credentials cannot be read (" + e.getMessage() + ")";
        }
        if (peer.user().equals(root) || peer.user().equals(self)) {
            return null;
        }
        return "user " + peer.user().getName() + " may not control this trace: only root"
                + (self.equals(root) ? "" : " and " + self.getName() + " (the tracer's user)") + " may";
    }

    /** Answers {@code why} as a failure reply and ends the output (the caller closes); counts and logs it. */
    private void refuse(SocketChannel client, String why) {
        long n = refused.incrementAndGet();
        try {
            client.write(ByteBuffer.wrap((ControlHandler.failure(why) + "\n").getBytes(StandardCharsets.UTF_8)));
            client.shutdownOutput();
        } catch (IOException gone) {
            // the peer left before reading why
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            log.accept("refused a control connection: " + why + " (" + n + " refused so far)");
        }
    }

    /**
     * Closes a refused connection once what its peer already sent is read: closing a Unix socket
     * with unread input resets the peer's end, which then loses the refusal before reading it. On
     * a thread of its own so the accepting one goes on; past {@link #MAX_DRAINING} such threads,
     * closes at once.
     */
    private void closeAfterDrain(SocketChannel client) {
        if (!draining.tryAcquire()) {
            closeQuietly(client);
            return;
        }
        Thread.ofVirtual().name("vnettracer-control-refused").start(() -> {
            try {
                drainAndClose(client);
            } finally {
                draining.release();
            }
        });
    }

    /** Reads and drops at most {@link ControlProtocol#MAX_LINE} bytes for at most {@link #DRAIN_TIME}, then closes. */
    private void drainAndClose(SocketChannel client) {
        ScheduledFuture<?> limit = timeouts.schedule(() -> closeQuietly(client), DRAIN_TIME.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ByteBuffer sink = ByteBuffer.allocate(4096);
            long read = 0;
            int n;
            while (read <= ControlProtocol.MAX_LINE && (n = client.read(sink.clear())) >= 0) {
                read += n;
            }
        } catch (IOException closedOrReset) {
            // done either way
        } finally {
            limit.cancel(false);
            closeQuietly(client);
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void serve(SocketChannel client) {
        try {
            RequestReader requests = new RequestReader(client);
            while (!closed) {
                ScheduledFuture<?> timeout = timeouts.schedule(() -> {
                    // the serving thread is blocked reading; closing unblocks it
                    refuse(client, "no complete request within " + REQUEST_TIMEOUT.toSeconds() + " s; the connection is closed");
                    closeQuietly(client);
                }, REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                String line;
                try {
                    line = requests.next();
                } catch (RequestReader.TooLarge e) {
                    timeout.cancel(false);
                    refuse(client, e.getMessage() + "; the connection is closed");
                    drainAndClose(client);
                    return;
                } finally {
                    timeout.cancel(false);
                }
                if (line == null) {
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                client.write(ByteBuffer.wrap((handler.handle(line) + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            // the client went away, or its connection was closed for it; nothing to answer
        } finally {
            clients.remove(client);
            closeQuietly(client);
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
            closeQuietly(c);
        }
        timeouts.shutdownNow();
        if (refused.get() > 0) {
            log.accept("the control socket refused " + refused.get() + " connections in all");
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.accept("cannot remove " + socket + ": " + e.getMessage());
        }
    }
}
