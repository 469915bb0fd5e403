package io.vnettracer.cli;

import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.export.prometheus.PrometheusSink;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.remote.agent.AgentConfig;
import io.vnettracer.remote.agent.AgentServer;
import io.vnettracer.session.SessionOptions;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves one kernel to a collector: scripts in, record batches out (docs/REMOTE.md). */
@Command(name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the tracer for a collector ('vnettracer collect'): accepts a tracing script, validates it,",
            "attaches its probes, applies live changes and streams the records in acknowledged batches,",
            "spooling them while no collector is connected. Mutual TLS only; listens on loopback unless told.",
            "Runs until Ctrl-C; exit codes: 0 ok, 1 failure, 2 bad input or missing privileges."
        })
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name (its certificate's).")
    private String node;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + AgentConfig.DEFAULT_PORT,
            description = "Where to listen (default ${DEFAULT-VALUE}); 0.0.0.0:PORT for every interface.")
    private String listen;

    @Option(names = "--tls-dir", required = true, paramLabel = "DIR",
            description = "ca.pem, NODE.pem and NODE.key ('vnettracer certs').")
    private Path tlsDir;

    @Option(names = "--spool", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "256M",
            description = "Record batches kept until acknowledged (default ${DEFAULT-VALUE}); beyond it they are dropped and counted.")
    private long spool;

    @Option(names = "--ring-size", paramLabel = "SIZE", converter = RingSizeConverter.class, defaultValue = "16M",
            description = "The ring buffer shared by the probes (default ${DEFAULT-VALUE}).")
    private int ringBytes;

    @Option(names = "--prometheus", paramLabel = "[HOST:]PORT",
            description = "Serve Prometheus metrics of this node's own probes (joined here) and of its stream and spool"
                    + " at http://HOST:PORT/metrics while a trace runs; HOST defaults to 127.0.0.1.")
    private String prometheus;

    @Option(names = "--clock-offset", hidden = true, paramLabel = "NS", defaultValue = "0",
            description = "Tests: add NS to every timestamp and clock reading this agent reports.")
    private long clockOffset;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        InetSocketAddress address = address(listen);
        ListenAddress metrics = null;
        if (prometheus != null) {
            try {
                metrics = ListenAddress.parse(prometheus);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--prometheus " + e.getMessage(), e);
            }
            // Each trace serves its own metrics on this address; a busy port is better said now than at a Start.
            try {
                PrometheusSink.start(metrics, new ProbeCatalog(1)).close();
            } catch (UncheckedIOException e) {
                throw new BadInputException("--prometheus: " + e.getMessage(), e);
            }
        }
        KernelPrivileges.require("agent");
        PrintWriter err = spec.commandLine().getErr();
        AgentConfig config = new AgentConfig(node, address, tlsDir, spool, clockOffset,
                new SessionOptions(ringBytes, SessionOptions.DEFAULT.pollMillis()), metrics);
        AgentServer server;
        try {
            server = AgentServer.start(config, line -> {
                synchronized (err) {
                    err.println(Instant.now() + " vnettracer agent " + node + ": " + line);
                    err.flush();
                }
            });
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        err.println("vnettracer agent: node " + node + " listening on " + address.getHostString() + ":" + server.port()
                + " (mutual TLS, clients need a certificate from " + tlsDir.resolve("ca.pem") + ")");
        if (metrics != null) {
            err.println("vnettracer agent: Prometheus metrics at http://" + metrics + "/metrics while a trace runs");
        }
        err.flush();
        stopped.await();
        return Main.EXIT_OK;
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new BadInputException("'" + hostPort + "' is not HOST:PORT, e.g. 127.0.0.1:7443", null);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + hostPort + "': the port must be a number from 0 to 65535", e);
        }
    }
}
