package dev.simnet.api;

/** A TCP or UDP flow failed: connection refused, reset, timed out, host unreachable… ({@link #errno()} names it). */
public final class FlowException extends SimnetException {
    private static final long serialVersionUID = 1L;
    private final String errno;

    /** A failure called {@code errno} (such as {@code ECONNREFUSED}) with a readable {@code message}. */
    public FlowException(String errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** The errno name, for example {@code ECONNREFUSED}, {@code ETIMEDOUT}, {@code EHOSTUNREACH}. */
    public String errno() {
        return errno;
    }
}
