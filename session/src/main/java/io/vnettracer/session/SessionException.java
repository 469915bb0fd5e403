package io.vnettracer.session;

/** A session could not start or change: says which probe and why. Nothing of the attempt stays attached. */
public final class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }

    public SessionException(String message) {
        super(message);
    }
}
