package io.vnettracer.lab;

/** A topology file is malformed or inconsistent; the message names the file, and the line or field. */
public final class TopologyException extends LabException {
    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
