package io.vnettracer.remote.agent;

import io.grpc.Server;
import io.vnettracer.remote.tls.MutualTls;
import io.vnettracer.remote.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A running agent: its gRPC server (mutual TLS only) and the trace it holds. */
public final class AgentServer implements AutoCloseable {
    /**
     * gRPC logs a stack trace at WARNING for every stream whose collector vanished; the agent says
     * so in one line of its own (with what it keeps spooled). Held here: the logging framework
     * keeps loggers only weakly.
     */
    private static final java.util.logging.Logger STREAM_ERRORS =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

    static {
        STREAM_ERRORS.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Server server;
    private final AgentService service;

    private AgentServer(Server server, AgentService service) {
        this.server = server;
        this.service = service;
    }

    /** Listens on {@code config.listen()}; {@code log} gets one line per refusal and per trace started or stopped. */
    public static AgentServer start(AgentConfig config, Consumer<String> log) {
        AgentService service = new AgentService(config, log);
        Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(config.listen(),
                        MutualTls.server(new TlsFiles(config.tlsDir(), config.node()), log))
                .addService(io.grpc.ServerInterceptors.intercept(service, CollectorIdentity.interceptor()))
                // RPCs run on the transport's threads: a clock reading then costs no thread hand-off,
                // which halves the round trip the clock offset's uncertainty comes from.
                .directExecutor()
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("listening on " + config.listen() + ": " + e.getMessage(), e);
        }
        return new AgentServer(server, service);
    }

    /** Where the current trace's Prometheus metrics are served (the bound port), or null. */
    public io.vnettracer.export.prometheus.ListenAddress metricsAddress() {
        return service.metricsAddress();
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        service.shutdown();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
