package dev.simnet.linux;

import dev.simnet.linux.ffi.Errno;
import dev.simnet.linux.ffi.Native;
import dev.simnet.linux.netlink.RtnlSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A named network namespace exactly as {@code ip netns add NAME} makes it: the namespace file of a
 * thread that called {@code unshare(CLONE_NEWNET)}, bind-mounted on {@code /run/netns/NAME} (a
 * shared mount point), so {@code ip netns list}, {@code ip netns exec} and {@code lsns} see it.
 * Holds an open namespace fd (for {@code IFLA_NET_NS_FD} and {@code setns}), an rtnetlink socket
 * living in the namespace, and lazily a {@link NetnsExecutor}.
 */
public final class NetNamespace implements AutoCloseable {
    /** Where iproute2 keeps named namespaces. */
    public static final Path NETNS_RUN_DIR = Paths.get("/run/netns");

    private final String name;
    private final int fd;
    private final RtnlSocket rtnl;
    private int nextIfindex;
    private NetnsExecutor executor;
    private boolean closed;

    NetNamespace(String name, int fd, RtnlSocket rtnl, int maxIfindex) {
        this.name = name;
        this.fd = fd;
        this.rtnl = rtnl;
        this.nextIfindex = maxIfindex + 1;
    }

    /** The name under {@code /run/netns}. */
    public String name() {
        return name;
    }

    /** {@code /run/netns/NAME}. */
    public Path path() {
        return NETNS_RUN_DIR.resolve(name);
    }

    /** An open fd referring to the namespace (valid until {@link #close()}). */
    public int fd() {
        return fd;
    }

    /** The rtnetlink socket inside this namespace. */
    public RtnlSocket rtnl() {
        return rtnl;
    }

    /** Reserves the next free ifindex in this namespace (interfaces are created with explicit indexes). */
    public int allocateIfindex() {
        return nextIfindex++;
    }

    /** The namespace's inode number (what {@code /proc/PID/ns/net} links to as {@code net:[N]}). */
    public long inode() {
        return inodeOf(path());
    }

    /** A thread inside this namespace, started on first use. */
    public synchronized NetnsExecutor executor() {
        if (closed) {
            throw new IllegalStateException("namespace " + name + " closed");
        }
        if (executor == null) {
            executor = new NetnsExecutor(name, fd);
        }
        return executor;
    }

    /** Closes the fd, the netlink socket and the executor; the namespace itself stays mounted. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (executor != null) {
            executor.close();
        }
        rtnl.close();
        Native.close(fd);
    }

    /** Closes everything and removes the namespace ({@code ip netns delete}). */
    public void delete() {
        close();
        deleteByName(name);
    }

    /**
     * Removes {@code /run/netns/NAME}: lazy unmount then unlink, as {@code ip netns delete} does.
     * Missing pieces are ignored, so it is safe in sweeps.
     *
     * @return true if something was removed
     */
    public static boolean deleteByName(String name) {
        checkName(name);
        Path p = NETNS_RUN_DIR.resolve(name);
        int err = Native.umount2(p.toString(), Native.MNT_DETACH);
        boolean removed = err == 0;
        if (err != 0 && err != Errno.EINVAL && err != Errno.ENOENT) {
            throw new IllegalStateException("umount2(" + p + ") failed: " + Errno.name(err));
        }
        try {
            removed |= Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + p + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /** Names must be plain file names. */
    static void checkName(String name) {
        if (name.isEmpty() || name.length() > 200 || name.equals(".") || name.equals("..")
                || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.')) {
            throw new IllegalArgumentException("invalid namespace name '" + name + "'");
        }
    }

    static long inodeOf(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
