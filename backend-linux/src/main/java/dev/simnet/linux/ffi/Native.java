package dev.simnet.linux.ffi;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;

/**
 * Checked wrappers over {@link LibC}: each throws {@link NativeException} naming the call and the
 * errno when the kernel refuses. Loading is lazy; {@link #loadFailure()} tells why it failed.
 */
public final class Native {
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWNET = 0x40000000;

    public static final int MS_BIND = 4096;
    public static final int MS_REC = 16384;
    public static final int MS_SHARED = 1 << 20;
    public static final int MS_SLAVE = 1 << 19;
    public static final int MNT_DETACH = 2;

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    private static final LibC LIBC;
    private static final Runtime RUNTIME;
    private static final Throwable LOAD_FAILURE;

    static {
        LibC lib = null;
        Runtime rt = null;
        Throwable failure = null;
        try {
            lib = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, Boolean.TRUE).load("c");
            rt = Runtime.getRuntime(lib);
            lib.getpid();
        } catch (Throwable t) {
            failure = t;
            lib = null;
        }
        LIBC = lib;
        RUNTIME = rt;
        LOAD_FAILURE = failure;
    }

    private Native() {
    }

    /** Why libc could not be bound, or null when it was. */
    public static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /** The raw binding (for calls without a wrapper here). */
    public static LibC libc() {
        if (LIBC == null) {
            throw new IllegalStateException("libc binding unavailable: " + LOAD_FAILURE, LOAD_FAILURE);
        }
        return LIBC;
    }

    private static int errno() {
        return RUNTIME.getLastError();
    }

    private static NativeException fail(String call) {
        int e = errno();
        return new NativeException(call, e, LIBC.strerror(e));
    }

    public static int getpid() {
        return libc().getpid();
    }

    public static int gettid() {
        return libc().gettid();
    }

    public static void unshare(int flags) {
        if (libc().unshare(flags) != 0) {
            throw fail("unshare(0x" + Integer.toHexString(flags) + ")");
        }
    }

    public static void setns(int fd, int nstype) {
        if (libc().setns(fd, nstype) != 0) {
            throw fail("setns(fd=" + fd + ", 0x" + Integer.toHexString(nstype) + ")");
        }
    }

    /**
     * Moves the calling thread into the network namespace mounted at {@code path} (open, {@code setns},
     * close); throws {@link NativeException} when it is gone.
     */
    public static void enterNetns(String path) {
        int ns = open(path, O_RDONLY);
        try {
            setns(ns, CLONE_NEWNET);
        } finally {
            close(ns);
        }
    }

    public static void mount(String source, String target, String fstype, long flags) {
        if (libc().mount(source, target, fstype, flags, null) != 0) {
            throw fail("mount(" + source + ", " + target + ", " + fstype + ", 0x" + Long.toHexString(flags) + ")");
        }
    }

    /** umount2; returns the errno (0 on success) so callers can ignore EINVAL/ENOENT when sweeping. */
    public static int umount2(String target, int flags) {
        return libc().umount2(target, flags) == 0 ? 0 : errno();
    }

    /**
     * {@code linkat(fd, "", AT_FDCWD, newPath, AT_EMPTY_PATH)}: a new name for the file open as
     * {@code fd} (no inode allocated); returns the errno, 0 on success.
     */
    public static int linkFd(int fd, String newPath) {
        return libc().linkat(fd, "", AT_FDCWD, newPath, AT_EMPTY_PATH) == 0 ? 0 : errno();
    }

    public static int open(String path, int flags) {
        int fd = libc().open(path, flags | O_CLOEXEC, 0);
        if (fd < 0) {
            throw fail("open(" + path + ")");
        }
        return fd;
    }

    public static void close(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        int fd = libc().socket(domain, type, protocol);
        if (fd < 0) {
            throw fail("socket(" + domain + ", " + type + ", " + protocol + ")");
        }
        return fd;
    }

    public static void bind(int fd, byte[] addr) {
        if (libc().bind(fd, addr, addr.length) != 0) {
            throw fail("bind(fd=" + fd + ")");
        }
    }

    /** setsockopt with an int value; returns false (without throwing) when the option is refused. */
    public static boolean setsockoptInt(int fd, int level, int opt, int value) {
        byte[] v = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        return libc().setsockopt(fd, level, opt, v, 4) == 0;
    }

    public static void sendto(int fd, byte[] buf, int len, byte[] addr) {
        long n = libc().sendto(fd, buf, len, 0, addr, addr.length);
        if (n < 0) {
            throw fail("sendto(fd=" + fd + ", " + len + " bytes)");
        }
        if (n != len) {
            throw new NativeException("sendto(fd=" + fd + ") short write " + n + "/" + len, Errno.EAGAIN, "short write");
        }
    }

    public static int recv(int fd, byte[] buf) {
        while (true) {
            long n = libc().recvfrom(fd, buf, buf.length, 0, null, null);
            if (n >= 0) {
                return (int) n;
            }
            if (errno() != Errno.EINTR) {
                throw fail("recvfrom(fd=" + fd + ")");
            }
        }
    }
}
