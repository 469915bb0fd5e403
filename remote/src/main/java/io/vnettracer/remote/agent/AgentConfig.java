package io.vnettracer.remote.agent;

import io.vnettracer.export.prometheus.ListenAddress;
import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How an agent runs.
 *
 * @param clockOffsetNanos added to every timestamp and clock reading the agent reports (tests give a
 *                         node an artificial offset with it); 0 in real use
 * @param prometheus       where each trace's Prometheus metrics are served (its own probes joined on
 *                         the node), or null for none
 */
public record AgentConfig(String node, InetSocketAddress listen, Path tlsDir, long spoolBytes,
                          long clockOffsetNanos, SessionOptions session, ListenAddress prometheus) {
    public static final long DEFAULT_SPOOL_BYTES = 256L << 20;
    public static final int DEFAULT_PORT = 7443;

    /** An agent without Prometheus metrics. */
    public AgentConfig(String node, InetSocketAddress listen, Path tlsDir, long spoolBytes,
                       long clockOffsetNanos, SessionOptions session) {
        this(node, listen, tlsDir, spoolBytes, clockOffsetNanos, session, null);
    }
}
