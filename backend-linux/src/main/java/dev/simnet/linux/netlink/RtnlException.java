package dev.simnet.linux.netlink;

import dev.simnet.linux.ffi.Errno;

/** The kernel refused an rtnetlink request: names the object, the errno and the kernel's own message. */
public final class RtnlException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public RtnlException(String what, int errno, String kernelMessage) {
        super(what + ": " + Errno.name(errno) + (kernelMessage == null || kernelMessage.isEmpty() ? "" : " (" + kernelMessage + ")"));
        this.errno = errno;
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }
}
