package dev.simnet.linux.ffi;

/** A system call failed: carries the call, its arguments and the errno with its name and text. */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NativeException(String call, int errno, String text) {
        super(call + " failed: " + Errno.name(errno) + " (" + text + ")");
        this.errno = errno;
    }

    /** The errno value (positive). */
    public int errno() {
        return errno;
    }
}
