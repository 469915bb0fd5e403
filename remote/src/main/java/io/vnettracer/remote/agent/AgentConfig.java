package io.vnettracer.remote.agent;

import io.vnettracer.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How an agent runs.
 *
 * @param clockOffsetNanos added to every timestamp and clock reading the agent reports (tests give a
 *                         node an artificial offset with it); 0 in real use
 */
public record AgentConfig(String node, InetSocketAddress listen, Path tlsDir, long spoolBytes,
                          long clockOffsetNanos, SessionOptions session) {
    public static final long DEFAULT_SPOOL_BYTES = 256L << 20;
    public static final int DEFAULT_PORT = 7443;
}
