package dev.simnet.tap.ffi;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Checked access to {@code /dev/net/tun} ({@code drivers/net/tun.c}): open, {@code TUNSETIFF},
 * {@code SIOCSIFHWADDR} on the tun fd, non-blocking {@code read}/{@code write} and {@code poll}.
 * Loading is lazy; {@link #loadFailure()} tells why it failed.
 */
public final class Tun {
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    /** {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 208, unsigned int)}: offload flags. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    public static final long SIOCSIFHWADDR = 0x8924L;
    /** Offload flags for {@link #TUNSETOFFLOAD}. */
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;

    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NO_PI = 0x1000;
    public static final short IFF_VNET_HDR = 0x4000;

    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final short POLLIN = 1;
    public static final short POLLERR = 8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    /** {@code eventfd} flags. */
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    /** Size of {@code struct ifreq}. */
    public static final int IFREQ_SIZE = 40;
    public static final int IFNAMSIZ = 16;

    private static final TunLib LIB;
    private static final Runtime RUNTIME;
    private static final Throwable LOAD_FAILURE;

    static {
        TunLib lib = null;
        Runtime rt = null;
        Throwable failure = null;
        try {
            lib = LibraryLoader.create(TunLib.class).option(LibraryOption.SaveError, Boolean.TRUE).load("c");
            rt = Runtime.getRuntime(lib);
        } catch (Throwable t) {
            failure = t;
            lib = null;
        }
        LIB = lib;
        RUNTIME = rt;
        LOAD_FAILURE = failure;
    }

    private Tun() {
    }

    /** Why libc could not be bound, or null. */
    public static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /** The binding (throws when libc could not be bound). */
    public static TunLib lib() {
        if (LIB == null) {
            throw new IllegalStateException("libc not bound: " + LOAD_FAILURE);
        }
        return LIB;
    }

    /** The jnr runtime. */
    public static Runtime runtime() {
        lib();
        return RUNTIME;
    }

    /** errno of the last failed call on this thread. */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** Native memory of {@code size} bytes, zeroed, freed by the GC. */
    public static Pointer allocate(int size) {
        return Memory.allocateDirect(runtime(), size, true);
    }

    /** {@code strerror(errno)} with the errno number. */
    public static String describe(int errno) {
        String s = LIB == null ? null : LIB.strerror(errno);
        return (s == null ? "errno" : s) + " (" + errno + ")";
    }

    /**
     * Opens {@code /dev/net/tun} and attaches a new TAP device named {@code name}: the device is
     * born in the network namespace of the calling thread. Returns the fd (non-blocking, close-on-exec).
     */
    public static int openTap(String name, boolean vnetHdr) {
        if (name.isEmpty() || name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' must be 1..15 characters");
        }
        TunLib l = lib();
        int fd = l.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("open(/dev/net/tun) failed: " + describe(errno()));
        }
        Pointer ifr = allocate(IFREQ_SIZE);
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ifr.put(0, n, 0, n.length);
        ifr.putShort(IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI | (vnetHdr ? IFF_VNET_HDR : 0)));
        if (l.ioctl(fd, TUNSETIFF, ifr) < 0) {
            int e = errno();
            l.close(fd);
            throw new IllegalStateException("ioctl(TUNSETIFF " + name + ") failed: " + describe(e));
        }
        return fd;
    }

    /** Enables the offloads the kernel may hand us ({@code TUNSETOFFLOAD}): needs {@code IFF_VNET_HDR}. */
    public static void setOffload(int fd, String name, int flags) {
        if (lib().ioctl(fd, TUNSETOFFLOAD, jnr.ffi.Pointer.wrap(runtime(), flags)) < 0) {
            throw new IllegalStateException("ioctl(TUNSETOFFLOAD " + name + ") failed: " + describe(errno()));
        }
    }

    /** Sets the TAP's MAC ({@code SIOCSIFHWADDR} on the tun fd). */
    public static void setMac(int fd, String name, byte[] mac) {
        Pointer ifr = allocate(IFREQ_SIZE);
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ifr.put(0, n, 0, n.length);
        ifr.putShort(IFNAMSIZ, (short) 1); // sa_family = ARPHRD_ETHER
        ifr.put(IFNAMSIZ + 2, mac, 0, 6);
        if (lib().ioctl(fd, SIOCSIFHWADDR, ifr) < 0) {
            throw new IllegalStateException("ioctl(SIOCSIFHWADDR " + name + ") failed: " + describe(errno()));
        }
    }

    /** {@code if_nametoindex} in the calling thread's namespace. */
    public static int ifindex(String name) {
        int i = lib().if_nametoindex(name);
        if (i <= 0) {
            throw new IllegalStateException("if_nametoindex(" + name + ") failed: " + describe(errno()));
        }
        return i;
    }
}
