package dev.simnet.tap.ffi;

import jnr.ffi.Pointer;

/**
 * The libc calls a TAP device needs, bound with jnr-ffi. Buffers are passed as raw native addresses
 * ({@code long}, pointer-sized on LP64) so the hot path neither copies whole arrays nor allocates a
 * {@link Pointer} per call.
 */
public interface TunLib {
    int open(String path, int flags, int mode);

    int close(int fd);

    int ioctl(int fd, long request, Pointer arg);

    long read(int fd, long buf, long count);

    long write(int fd, long buf, long count);

    int poll(long fds, long nfds, int timeoutMs);

    /** {@code ppoll(fds, nfds, tmo_p, sigmask)}: {@code tmo} a {@code struct timespec} address (0: no limit), {@code sigmask} 0. */
    int ppoll(long fds, long nfds, long tmo, long sigmask);

    /** {@code eventfd(initval, flags)}. */
    int eventfd(int initval, int flags);

    int if_nametoindex(String name);

    String strerror(int errnum);
}
