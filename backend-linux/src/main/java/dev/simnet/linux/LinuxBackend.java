package dev.simnet.linux;

import dev.simnet.linux.ffi.Native;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Entry point of the kernel backend. Availability is checked once, Netty-style:
 * {@link #isAvailable()}, {@link #ensureAvailability()}, {@link #unavailabilityCause()} (not Linux,
 * libc binding failed, no CAP_NET_ADMIN/CAP_SYS_ADMIN in CapEff, {@code ip} missing,
 * {@code /run/netns} not writable). {@link #build(TopologyPlan)} turns a plan into kernel objects;
 * {@link #sweepStale()} removes what killed runs left behind.
 */
public final class LinuxBackend {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final String CAUSE = computeCause();

    private LinuxBackend() {
    }

    /** True when this machine can run the kernel backend. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why the backend is unavailable (one line), or null when it is available. */
    public static String unavailabilityCause() {
        return CAUSE;
    }

    /**
     * Null when {@code iptables-restore} is installed, else one line naming the package to install: the
     * build loads Docker's rule set with it (iptables-nft, Docker 29's default firewall backend), so a
     * run with Docker's rules cannot go without it.
     */
    public static String rulesToolCause() {
        return Tools.find("iptables-restore") == null || Tools.find("iptables-save") == null
                ? "'iptables-restore' not found on PATH, /usr/sbin or /sbin: install the 'iptables' package (apt-get install iptables);"
                        + " Docker's rules are loaded with it, as Docker 29 does"
                : null;
    }

    /** Throws {@link UnsupportedOperationException} with the cause when unavailable. */
    public static void ensureAvailability() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("Linux backend unavailable: " + CAUSE);
        }
    }

    private static String computeCause() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return "not Linux (os.name=" + System.getProperty("os.name") + ")";
        }
        if (Native.loadFailure() != null) {
            return "cannot bind libc with jnr-ffi: " + Native.loadFailure();
        }
        long capEff;
        try {
            capEff = Files.readAllLines(Paths.get("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapEff:"))
                    .mapToLong(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16))
                    .findFirst().orElse(0L);
        } catch (IOException | NumberFormatException e) {
            return "cannot read CapEff from /proc/self/status: " + e.getMessage();
        }
        if ((capEff & (1L << CAP_NET_ADMIN)) == 0) {
            return "no CAP_NET_ADMIN (run as root; CapEff=" + Long.toHexString(capEff) + ")";
        }
        if ((capEff & (1L << CAP_SYS_ADMIN)) == 0) {
            return "no CAP_SYS_ADMIN, needed for setns/mount (run as root; CapEff=" + Long.toHexString(capEff) + ")";
        }
        for (String tool : List.of("ip")) {
            if (Tools.find(tool) == null) {
                return "'" + tool + "' not found on PATH, /usr/sbin or /sbin (install iproute2)";
            }
        }
        Path run = NetNamespace.NETNS_RUN_DIR;
        Path probe = Files.isDirectory(run) ? run : run.getParent();
        if (probe == null || !Files.isWritable(probe)) {
            return run + " is not writable";
        }
        if (!Files.exists(Paths.get("/proc/thread-self/ns/net"))) {
            return "/proc/thread-self/ns/net missing (kernel too old or /proc not mounted)";
        }
        return null;
    }

    /** Builds {@code plan} with default options; the caller closes the result. */
    public static LinuxTopology build(TopologyPlan plan) {
        return build(plan, LinuxTopology.Options.defaults());
    }

    /** Builds {@code plan}; the caller closes the result (a shutdown hook also does on exit). */
    public static LinuxTopology build(TopologyPlan plan, LinuxTopology.Options options) {
        ensureAvailability();
        if (options.sweepFirst()) {
            sweepStale();
        }
        return LinuxTopology.build(plan, options);
    }

    private static volatile String netemCause;

    /**
     * Null when {@code tc qdisc … netem} works on this kernel, else why not (for example "sch_netem not
     * available"). Probed once, in a throw-away namespace of a run of its own.
     */
    public static synchronized String netemUnavailabilityCause() {
        if (netemCause != null) {
            return netemCause.isEmpty() ? null : netemCause;
        }
        if (!isAvailable()) {
            netemCause = unavailabilityCause();
            return netemCause;
        }
        RunState state = RunState.create();
        try (NamespaceFactory f = new NamespaceFactory(1)) {
            String name = state.name("probe");
            state.recordNetns(name);
            f.create(name, java.util.Map.of()).close();
            Process p = new ProcessBuilder(Tools.require("ip"), "netns", "exec", name, "tc", "qdisc", "add", "dev", "lo", "root",
                    "netem", "delay", "1ms").redirectErrorStream(true).start();
            CommandResult r = LinuxTopology.collect(p, java.time.Duration.ofSeconds(10));
            netemCause = r.ok() ? "" : "tc netem unavailable: " + r.stdout().strip();
        } catch (IOException | RuntimeException e) {
            netemCause = "tc netem probe failed: " + e.getMessage();
        } finally {
            state.removeEverything();
        }
        return netemCause.isEmpty() ? null : netemCause;
    }

    /** Outcome of a sweep. */
    public record SweepReport(List<String> runsRemoved, int processes, int namespaces, int etcDirs) {
    }

    /** The sweep lock held by this JVM (see {@link #holdSweepLock()}); {@link #close()} releases one hold. */
    public interface SweepLock extends AutoCloseable {
        @Override
        void close();
    }

    private static final ReentrantLock SWEEP_LOCK = new ReentrantLock();
    private static FileChannel sweepChannel;
    private static FileLock sweepFileLock;

    /**
     * Takes the machine-wide sweep lock ({@code fcntl} lock on {@code STATEDIR/.sweep.lock}, reentrant
     * within this JVM), waiting while another JVM sweeps. {@link #sweepStale()} holds it, so two JVMs
     * never clean the same dead run at once; a caller that must be the one to sweep a run it just
     * killed (the crash-cleanup test) holds it from the kill to its own sweep.
     */
    public static SweepLock holdSweepLock() {
        SWEEP_LOCK.lock();
        try {
            if (SWEEP_LOCK.getHoldCount() == 1) {
                Path dir = RunState.stateDir();
                Files.createDirectories(dir);
                FileChannel ch = FileChannel.open(dir.resolve(".sweep.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    sweepFileLock = ch.lock();
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                sweepChannel = ch;
            }
        } catch (IOException e) {
            SWEEP_LOCK.unlock();
            throw new UncheckedIOException("cannot lock " + RunState.stateDir().resolve(".sweep.lock"), e);
        } catch (RuntimeException e) {
            SWEEP_LOCK.unlock();
            throw e;
        }
        boolean[] released = new boolean[1];
        return () -> {
            if (released[0]) {
                return;
            }
            released[0] = true;
            try {
                if (SWEEP_LOCK.getHoldCount() == 1) {
                    try {
                        sweepFileLock.release();
                        sweepChannel.close();
                    } catch (IOException ignored) {
                        // closing the channel drops the lock either way
                    }
                    sweepFileLock = null;
                    sweepChannel = null;
                }
            } finally {
                SWEEP_LOCK.unlock();
            }
        };
    }

    /**
     * Removes everything left by runs whose owning JVM is gone: runs listed in state files whose
     * owner pid is dead (or reused), and {@code sn-RUNID-} namespaces or {@code /etc/netns} dirs of
     * runs with no state file at all. Live runs (of this or another JVM) are left alone. Holds the
     * sweep lock ({@link #holdSweepLock()}) throughout.
     */
    public static SweepReport sweepStale() {
        ensureAvailability();
        try (SweepLock lock = holdSweepLock()) {
            return sweepLocked();
        }
    }

    private static SweepReport sweepLocked() {
        List<String> removed = new ArrayList<>();
        int procs = 0;
        int ns = 0;
        int etc = 0;
        Set<String> known = new LinkedHashSet<>();
        Path dir = RunState.stateDir();
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (var s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".state")).sorted().toList();
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
            }
            for (Path f : files) {
                String id = f.getFileName().toString().replace(".state", "");
                if (!RunState.RUN_ID.matcher(id).matches()) {
                    continue;
                }
                known.add(id);
                List<RunState.Entry> entries;
                try {
                    entries = RunState.read(f);
                } catch (IOException e) {
                    continue;
                }
                RunState.Entry owner = entries.stream().filter(e -> e.kind().equals("owner")).findFirst().orElse(null);
                if (owner != null && RunState.alive(Long.parseLong(owner.value()), owner.startTime())) {
                    continue;
                }
                if (owner == null && recentlyCreated(f)) {
                    continue; // a run between createFile and its first line
                }
                RunCleaner.Removed r = RunCleaner.clean(id, entries);
                procs += r.processes();
                ns += r.namespaces();
                etc += r.etcDirs();
                removed.add(id);
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // retried by the next sweep
                }
            }
        }
        // orphans: sn-RUNID- objects with no state file at all
        Set<String> orphanRuns = new LinkedHashSet<>();
        for (Path d : List.of(NetNamespace.NETNS_RUN_DIR, EtcNetns.ETC_NETNS, dir)) {
            for (String n : RunCleaner.listPrefixed(d, RunState.PREFIX)) {
                String rest = n.substring(RunState.PREFIX.length());
                if (rest.length() > 7 && rest.charAt(6) == '-' && RunState.RUN_ID.matcher(rest.substring(0, 6)).matches()
                        && !known.contains(rest.substring(0, 6))) {
                    orphanRuns.add(rest.substring(0, 6));
                }
            }
        }
        for (String id : orphanRuns) {
            if (Files.exists(dir.resolve(id + ".state"))) {
                continue; // created meanwhile by a starting run
            }
            RunCleaner.Removed r = RunCleaner.clean(id, List.of());
            procs += r.processes();
            ns += r.namespaces();
            etc += r.etcDirs();
            removed.add(id);
        }
        return new SweepReport(removed, procs, ns, etc);
    }

    private static boolean recentlyCreated(Path f) {
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis();
            return age < 10_000;
        } catch (IOException e) {
            return false;
        }
    }
}
