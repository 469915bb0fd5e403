package io.vnettracer.kafka;

/** The broker could not be reached or refused what was asked of it; the message says what and where. */
public final class KafkaTransportException extends RuntimeException {
    public KafkaTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    public KafkaTransportException(String message) {
        super(message);
    }
}
