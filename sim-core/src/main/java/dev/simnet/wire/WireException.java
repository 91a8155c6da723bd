package dev.simnet.wire;

/**
 * Root of every error the wire layer reports. Unchecked, so the per-packet path stays free of
 * {@code throws} clauses; code that must not throw uses the {@code validate(...)} fast checks instead.
 */
public class WireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with this message. */
    public WireException(String message) {
        super(message);
    }
}
