package dev.simnet.linux;

import dev.simnet.linux.ffi.Errno;
import dev.simnet.linux.ffi.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code /etc/netns/NAME}: the files {@code ip netns exec NAME} bind-mounts over {@code /etc}
 * (resolv.conf, hosts). The files themselves live on a small tmpfs per run
 * ({@code STATEDIR/sn-RUNID-etc/NAME/}) and {@code /etc/netns/NAME} is a symlink to that directory
 * (iproute2 follows it), so setup and teardown cost one link on disk per namespace instead of a
 * directory and its files.
 */
public final class EtcNetns {
    /** iproute2's per-namespace configuration root. */
    public static final Path ETC_NETNS = Paths.get("/etc/netns");

    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;
    private static final long MS_NOEXEC = 8;

    private EtcNetns() {
    }

    /** The {@code /etc/netns} entry for namespace {@code ns}. */
    public static Path dir(String ns) {
        NetNamespace.checkName(ns);
        return ETC_NETNS.resolve(ns);
    }

    /** The run's tmpfs mount point. */
    static Path filesRoot(RunState state) {
        return RunState.stateDir().resolve(state.name("etc"));
    }

    /** Mounts the run's tmpfs on {@code root}. */
    static void mountFilesRoot(Path root) throws IOException {
        Files.createDirectories(root);
        if (Native.libc().mount("tmpfs", root.toString(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                null) != 0) {
            throw new IOException("mount tmpfs on " + root + " failed");
        }
    }

    /** Writes {@code files} under {@code root/ns/} and links {@code /etc/netns/ns} to that directory. */
    static void publish(Path root, String ns, Map<String, String> files) throws IOException {
        publish(root, ns, files, true);
    }

    /**
     * As {@link #publish(Path, String, Map)}; {@code ensureEtcNetns} false skips making sure
     * {@code /etc/netns} exists (a caller publishing many namespaces does it once).
     */
    static void publish(Path root, String ns, Map<String, String> files, boolean ensureEtcNetns) throws IOException {
        Path d = root.resolve(ns);
        Files.createDirectory(d);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(d.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
        if (ensureEtcNetns) {
            Files.createDirectories(ETC_NETNS);
        }
        Files.createSymbolicLink(dir(ns), d);
    }

    /**
     * Removes {@code /etc/netns/NS} (a symlink, or a directory tree from an older layout) — only
     * simnet's own {@code sn-} entries.
     */
    public static boolean remove(String ns) throws IOException {
        if (!ns.startsWith(RunState.PREFIX)) {
            throw new IllegalArgumentException("refusing to remove an entry simnet does not own: " + ns);
        }
        Path d = dir(ns);
        if (Files.isSymbolicLink(d)) {
            return Files.deleteIfExists(d);
        }
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return true;
    }

    /** Unmounts and removes a run's tmpfs mount point; true if something was removed. */
    static boolean removeFilesRoot(Path root) {
        int err = Native.umount2(root.toString(), Native.MNT_DETACH);
        if (err != 0 && err != Errno.EINVAL && err != Errno.ENOENT) {
            throw new IllegalStateException("umount2(" + root + ") failed: " + Errno.name(err));
        }
        try {
            return Files.deleteIfExists(root) || err == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}
