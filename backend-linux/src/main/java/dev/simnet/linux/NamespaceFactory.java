package dev.simnet.linux;

import dev.simnet.linux.ffi.Errno;
import dev.simnet.linux.ffi.Native;
import dev.simnet.linux.ffi.NativeException;
import dev.simnet.linux.netlink.RtnlSocket;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates named network namespaces on dedicated worker threads, following iproute2's
 * {@code netns_add}: make {@code /run/netns} a shared mount point (bind it on itself first if it is
 * not a mount point), create the empty file (after the factory's first, a hard link of it: no
 * inode allocated), {@code unshare(CLONE_NEWNET)} on the worker, bind-mount
 * {@code /proc/self/task/TID/ns/net} onto the file, then return the worker to its original namespace
 * with {@code setns}. While inside, the worker opens the namespace's rtnetlink socket, brings
 * {@code lo} up and writes the requested sysctls (a {@code /proc/sys/net} file opened by a thread
 * belongs to that thread's namespace). A worker that cannot get back is retired, never reused.
 */
public final class NamespaceFactory implements AutoCloseable {
    private static final Object MOUNT_LOCK = new Object();
    private static volatile boolean runDirReady;

    private final ExecutorService workers;
    private final ThreadLocal<Integer> homeFd = new ThreadLocal<>();
    private final List<Integer> homeFds = new ArrayList<>();
    private volatile String broken;
    private int templateFd = -1;
    private boolean closed;

    /** A factory with {@code threads} workers (namespace creation runs in parallel across them). */
    public NamespaceFactory(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "netns-factory-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts creating {@code name} with the given sysctls (key like {@code net/ipv4/ip_forward}). */
    public Future<NetNamespace> createAsync(String name, Map<String, String> sysctls) {
        NetNamespace.checkName(name);
        if (broken != null) {
            throw new IllegalStateException("namespace factory retired: " + broken);
        }
        return workers.submit(() -> createHere(name, sysctls));
    }

    /** Creates {@code name} and waits. */
    public NetNamespace create(String name, Map<String, String> sysctls) {
        return await(createAsync(name, sysctls));
    }

    /** Waits for a creation started by {@link #createAsync}, unwrapping its failure. */
    public static NetNamespace await(Future<NetNamespace> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c.getMessage(), c);
        }
    }

    private int home() {
        Integer fd = homeFd.get();
        if (fd == null) {
            fd = Native.open("/proc/thread-self/ns/net", Native.O_RDONLY);
            homeFd.set(fd);
            synchronized (homeFds) {
                homeFds.add(fd);
            }
        }
        return fd;
    }

    private NetNamespace createHere(String name, Map<String, String> sysctls) throws IOException {
        if (broken != null) {
            throw new IllegalStateException("namespace factory retired: " + broken);
        }
        int home = home();
        ensureRunDir();
        Path path = NetNamespace.NETNS_RUN_DIR.resolve(name);
        makeMountPoint(path, name);
        boolean mounted = false;
        int fd = -1;
        RtnlSocket rtnl = null;
        boolean left = false;
        try {
            Native.unshare(Native.CLONE_NEWNET);
            left = true;
            Native.mount("/proc/self/task/" + Native.gettid() + "/ns/net", path.toString(), "none", Native.MS_BIND);
            mounted = true;
            fd = Native.open(path.toString(), Native.O_RDONLY);
            rtnl = RtnlSocket.open();
            rtnl.setLink(1, true, 0, "set lo up in " + name);
            rtnl.flush();
            for (Map.Entry<String, String> e : sysctls.entrySet()) {
                writeSysctl(e.getKey(), e.getValue());
            }
            int max = maxIfindexHere(rtnl);
            return new NetNamespace(name, fd, rtnl, max);
        } catch (RuntimeException | IOException e) {
            if (rtnl != null) {
                rtnl.close();
            }
            Native.close(fd);
            if (mounted) {
                Native.umount2(path.toString(), Native.MNT_DETACH);
            }
            Files.deleteIfExists(path);
            throw e;
        } finally {
            if (left) {
                goHome(home);
            }
        }
    }

    /**
     * The empty file a namespace is bind-mounted on. The factory's first one is created; every later
     * one is a hard link of it (made through an {@code O_PATH} fd opened before its mount), so a run
     * allocates one inode for all its mount points. Creating an inode can be costly: on an ext4
     * without journal the allocator skips every inode freed in the last minutes, one buffer lookup
     * each, and each run frees ~100 of them. Falls back to creating the file when linking fails.
     */
    private void makeMountPoint(Path path, String name) throws IOException {
        int t;
        synchronized (homeFds) {
            t = templateFd;
        }
        if (t >= 0) {
            int err = Native.linkFd(t, path.toString());
            if (err == 0) {
                return;
            }
            if (err == Errno.EEXIST) {
                throw new IllegalStateException("network namespace " + name + " already exists");
            }
            // e.g. no CAP_DAC_READ_SEARCH, or every name of the template is gone: make a file
        }
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("network namespace " + name + " already exists", e);
        }
        if (t < 0) {
            int fd = Native.libc().open(path.toString(), Native.O_PATH | Native.O_CLOEXEC, 0);
            if (fd >= 0) {
                synchronized (homeFds) {
                    if (templateFd < 0 && !closed) {
                        templateFd = fd;
                        fd = -1;
                    }
                }
                Native.close(fd);
            }
        }
    }

    /**
     * The highest ifindex in the calling thread's (new) namespace. Usually lo (always ifindex 1) is
     * its only device, which {@code /proc/thread-self/net/dev} tells without rtnl_lock; when there is
     * more (fallback tunnels of built-in tunnel drivers: sit0, tunl0, …) the rtnetlink link dump
     * answers, which takes rtnl_lock (contended by every other namespace and link being made).
     */
    static int maxIfindexHere(RtnlSocket rtnl) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/net/dev"));
            // two header lines, then one "  NAME: counters…" line per device
            if (lines.size() == 3 && lines.get(2).stripLeading().startsWith("lo:")) {
                return 1;
            }
        } catch (IOException e) {
            // no procfs view: ask the kernel
        }
        return rtnl.maxIfindex();
    }

    private void goHome(int home) {
        try {
            Native.setns(home, Native.CLONE_NEWNET);
        } catch (NativeException e) {
            // A worker stranded in another namespace must never run anything else: retire the factory.
            broken = e.getMessage();
            workers.shutdown();
            throw e;
        }
    }

    /** Writes {@code /proc/sys/KEY} from the calling thread (so in its current network namespace). */
    static void writeSysctl(String key, String value) throws IOException {
        if (key.contains("..") || key.startsWith("/")) {
            throw new IllegalArgumentException("bad sysctl key " + key);
        }
        Path p = Path.of("/proc/sys", key.replace('.', '/'));
        if (Files.exists(p)) {
            Files.writeString(p, value);
        }
    }

    /**
     * iproute2's {@code netns_add} preamble: {@code /run/netns} exists and is a shared mount point
     * ({@code mount --make-shared}; if that fails with EINVAL because it is not a mount point, bind
     * it on itself and retry), so namespace mounts propagate into mount namespaces that
     * {@code ip netns exec} creates.
     */
    static void ensureRunDir() throws IOException {
        if (runDirReady) {
            return;
        }
        synchronized (MOUNT_LOCK) {
            if (runDirReady) {
                return;
            }
            Path dir = NetNamespace.NETNS_RUN_DIR;
            Files.createDirectories(dir);
            String d = dir.toString();
            boolean bound = false;
            while (true) {
                int rc = Native.libc().mount("", d, "none", Native.MS_SHARED | Native.MS_REC, null);
                if (rc == 0) {
                    break;
                }
                int err = lastErrno();
                if (err != Errno.EINVAL || bound) {
                    throw new IllegalStateException("mount --make-shared " + d + " failed: " + Errno.name(err));
                }
                Native.mount(d, d, "none", Native.MS_BIND | Native.MS_REC);
                bound = true;
            }
            runDirReady = true;
        }
    }

    private static int lastErrno() {
        return jnr.ffi.Runtime.getRuntime(Native.libc()).getLastError();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        synchronized (homeFds) {
            for (int fd : homeFds) {
                Native.close(fd);
            }
            homeFds.clear();
            closed = true;
            Native.close(templateFd);
            templateFd = -1;
        }
    }
}
