package dev.simnet.host;

/** A socket call failed the way the Linux system call would, with its errno ({@link Errno}). */
public final class SocketError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    /** A failure with {@code errno} and a short description of the call. */
    public SocketError(int errno, String what) {
        super(what + ": " + Errno.message(errno) + " (" + Errno.name(errno) + ")");
        this.errno = errno;
    }

    /** The errno value. */
    public int errno() {
        return errno;
    }
}
