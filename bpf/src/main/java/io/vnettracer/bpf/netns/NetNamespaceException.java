package io.vnettracer.bpf.netns;

/** A network namespace or an interface inside one could not be found or used. */
public class NetNamespaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetNamespaceException(String message) {
        super(message);
    }

    public NetNamespaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
