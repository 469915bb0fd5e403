package io.vnettracer.cli;

/**
 * The user's input cannot be traced as given (a malformed script, filter or probe spec, an
 * interface or namespace that does not exist): one line for the user, exit code 2, nothing left
 * attached.
 */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
