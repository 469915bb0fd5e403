package io.vnettracer.sinks.output;

import java.io.IOException;
import java.io.UncheckedIOException;

/** An output path that cannot or must not be written; the message names the option, the path, why, and what to do. */
public final class OutputFileException extends UncheckedIOException {
    public OutputFileException(String message) {
        super(message, new IOException(message));
    }

    public OutputFileException(String message, IOException cause) {
        super(message, cause);
    }
}
