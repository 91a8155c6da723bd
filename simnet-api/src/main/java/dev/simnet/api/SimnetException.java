package dev.simnet.api;

/**
 * A compose file or topology that simnet cannot build (the message names the file, line and column
 * and what was expected), or an operation the topology does not allow (unknown service, network).
 */
public class SimnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with {@code message}. */
    public SimnetException(String message) {
        super(message);
    }

    /** An error with {@code message} caused by {@code cause}. */
    public SimnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
