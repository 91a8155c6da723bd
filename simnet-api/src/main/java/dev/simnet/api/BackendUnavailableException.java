package dev.simnet.api;

/** The requested backend cannot run on this machine or is not on the class path; {@link #cause()} says why. */
public final class BackendUnavailableException extends SimnetException {
    private static final long serialVersionUID = 1L;
    private final Backend backend;
    private final String cause;

    /** {@code backend} cannot run because of {@code cause} (for example "needs root (CAP_NET_ADMIN)"). */
    public BackendUnavailableException(Backend backend, String cause) {
        super("the '" + backend.id() + "' backend is unavailable: " + cause);
        this.backend = backend;
        this.cause = cause;
    }

    /** The backend that was asked for. */
    public Backend backend() {
        return backend;
    }

    /** Why it cannot run, in words. */
    public String cause() {
        return cause;
    }
}
