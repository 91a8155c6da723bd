package dev.simnet.linux.ffi;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * The glibc entry points the Linux backend needs, bound with jnr-ffi. Every call returns the raw C
 * result; {@link Native} wraps them with errno checks.
 */
public interface LibC {
    int unshare(int flags);

    int setns(int fd, int nstype);

    int mount(String source, String target, String fstype, long flags, Pointer data);

    int umount2(String target, int flags);

    int linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    int open(String path, int flags, int mode);

    int close(int fd);

    int getpid();

    int gettid();

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, int addrlen);

    int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

    long sendto(int fd, @In byte[] buf, long len, int flags, @In byte[] addr, int addrlen);

    long recvfrom(int fd, @Out byte[] buf, long len, int flags, Pointer addr, IntByReference addrlen);

    long write(int fd, @In byte[] buf, long len);

    int ioctl(int fd, long request, @In @Out byte[] arg);

    String strerror(int errnum);
}
