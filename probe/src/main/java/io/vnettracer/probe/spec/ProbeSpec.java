package io.vnettracer.probe.spec;

/**
 * Where a probe attaches. {@code namespace} is a named network namespace
 * ({@code /var/run/netns/NAME}) or null for the tracer's own.
 */
public sealed interface ProbeSpec {
    /** The namespace the probe is scoped to, or null for the tracer's own. */
    String namespace();

    /** The spec as the user would write it, normalized. */
    String text();

    /** TCX (or legacy tc) on an interface. */
    record Device(String namespace, String iface, Direction direction) implements ProbeSpec {
        public String text() {
            return "dev:" + ns(namespace) + iface + ":" + direction.word();
        }
    }

    /** The socket layer of a namespace's processes: leaving a socket, or copied to the application. */
    record Socket(String namespace, SocketPoint point) implements ProbeSpec {
        public String text() {
            return "sock:" + (namespace == null ? "" : namespace) + ":" + point.word();
        }
    }

    /** A packet-carrying kernel tracepoint, optionally limited to one device. */
    record Kernel(String tracepoint, String namespace, String iface) implements ProbeSpec {
        public String text() {
            return "kernel:" + tracepoint + (iface == null ? "" : ":" + ns(namespace) + iface);
        }
    }

    /** kfree_skb with the drop reason, optionally limited to packets of one namespace. */
    record Drops(String namespace) implements ProbeSpec {
        public String text() {
            return "drops" + (namespace == null ? "" : ":" + namespace);
        }
    }

    enum Direction {
        INGRESS, EGRESS;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum SocketPoint {
        SEND, RECV;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static String ns(String namespace) {
        return namespace == null ? "" : namespace + "/";
    }
}
