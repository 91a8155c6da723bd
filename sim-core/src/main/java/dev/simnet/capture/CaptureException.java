package dev.simnet.capture;

/** A capture file could not be opened, written or closed. */
public final class CaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a cause. */
    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error without a cause. */
    public CaptureException(String message) {
        super(message);
    }
}
