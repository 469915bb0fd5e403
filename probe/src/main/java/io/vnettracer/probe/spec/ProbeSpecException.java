package io.vnettracer.probe.spec;

/** A probe spec that cannot be parsed: says which spec, what is wrong, and the forms that are accepted. */
public final class ProbeSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    static final String FORMS = "dev:[NETNS/]IFACE:ingress|egress, sock:[NETNS]:send|recv, "
            + "kernel:TRACEPOINT[:[NETNS/]IFACE], drops[:NETNS]";

    ProbeSpecException(String spec, String problem) {
        super("bad probe '" + spec + "': " + problem + " (probes are " + FORMS + ")");
    }
}
