package io.vnettracer.lab;

/** A lab could not be built, inspected or removed; the message says what, where and what to do. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
