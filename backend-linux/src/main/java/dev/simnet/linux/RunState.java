package dev.simnet.linux;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The per-run state file ({@code /run/simnet/RUNID.state}): one line per kernel object, appended
 * <em>before</em> the object is created, so a run killed at any instant leaves a complete list for
 * {@link LinuxBackend#sweepStale()}. Each line is written with its own {@code write(2)} (it survives
 * {@code kill -9}; only a machine crash could lose it, and that takes the namespaces with it).
 *
 * <pre>
 * owner PID STARTTIME        the JVM that owns the run (STARTTIME from /proc/PID/stat, against pid reuse)
 * netns NAME                 a namespace under /run/netns
 * mount PATH                 the run's tmpfs holding the namespaces' files (stateDir/sn-RUNID-etc)
 * etcdir PATH                an /etc/netns/NAME entry (a symlink into that tmpfs)
 * pid PID STARTTIME          a process started in one of the namespaces
 * </pre>
 */
public final class RunState implements AutoCloseable {
    /** Every object name starts with this prefix followed by the run id and a dash. */
    public static final String PREFIX = "sn-";
    /** Run ids: 6 lower-case hex digits. */
    public static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{6}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One line of a state file. */
    public record Entry(String kind, String value, long startTime) {
    }

    private final String runId;
    private final Path file;
    private FileOutputStream out;

    private RunState(String runId, Path file, FileOutputStream out) {
        this.runId = runId;
        this.file = file;
        this.out = out;
    }

    /** The state directory: system property {@code simnet.stateDir}, default {@code /run/simnet}. */
    public static Path stateDir() {
        return Paths.get(System.getProperty("simnet.stateDir", "/run/simnet"));
    }

    /** Creates a fresh run with an id no live or dead run uses, recording this JVM as owner. */
    public static RunState create() {
        try {
            Path dir = stateDir();
            Files.createDirectories(dir);
            for (int attempt = 0; attempt < 100; attempt++) {
                byte[] b = new byte[3];
                RANDOM.nextBytes(b);
                String id = HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT);
                if (nameInUse(id)) {
                    continue;
                }
                Path f = dir.resolve(id + ".state");
                try {
                    Files.createFile(f);
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                RunState s = new RunState(id, f, new FileOutputStream(f.toFile(), true));
                long pid = ProcessHandle.current().pid();
                s.append("owner " + pid + " " + startTime(pid));
                return s;
            }
            throw new IllegalStateException("could not find a free run id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state file in " + stateDir(), e);
        }
    }

    private static boolean nameInUse(String id) {
        String p = PREFIX + id + "-";
        return anyStartsWith(NetNamespace.NETNS_RUN_DIR, p) || anyStartsWith(EtcNetns.ETC_NETNS, p);
    }

    private static boolean anyStartsWith(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.anyMatch(x -> x.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }

    /** The run id. */
    public String runId() {
        return runId;
    }

    /** The state file. */
    public Path file() {
        return file;
    }

    /** {@code sn-RUNID-suffix}. */
    public String name(String suffix) {
        return PREFIX + runId + "-" + suffix;
    }

    public synchronized void recordNetns(String name) {
        append("netns " + name);
    }

    public synchronized void recordMount(Path target) {
        append("mount " + target);
    }

    public synchronized void recordEtcDir(Path dir) {
        append("etcdir " + dir);
    }

    public synchronized void recordPid(long pid) {
        append("pid " + pid + " " + startTime(pid));
    }

    private synchronized void append(String line) {
        if (out == null) {
            throw new IllegalStateException("state file closed");
        }
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state file " + file, e);
        }
    }

    /**
     * Removes every object this run recorded (processes, namespaces, {@code /etc/netns} entries, its
     * tmpfs) and then the state file — what {@link LinuxTopology#close()} does, for other users of the
     * namespace layer (the TAP backend) that record their own objects here.
     */
    public void removeEverything() {
        List<Entry> entries;
        try {
            entries = read(file);
        } catch (IOException e) {
            entries = List.of();
        }
        RunCleaner.clean(runId, entries);
        delete();
    }

    /** Closes and deletes the state file (after everything it lists has been removed). */
    public synchronized void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to flush: every line was written with its own write(2)
            }
            out = null;
        }
    }

    /** Parses a state file; malformed lines are skipped. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.trim().split(" ");
            if (f.length < 2) {
                continue;
            }
            long st = -1;
            if (f.length >= 3) {
                try {
                    st = Long.parseLong(f[2]);
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            if ((f[0].equals("owner") || f[0].equals("pid")) && !f[1].chars().allMatch(Character::isDigit)) {
                continue;
            }
            out.add(new Entry(f[0], f[1], st));
        }
        return out;
    }

    /** Field 22 of {@code /proc/PID/stat} (start time in clock ticks), or -1 when the process is gone. */
    public static long startTime(long pid) {
        try {
            String s = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            String rest = s.substring(s.lastIndexOf(')') + 2);
            String[] f = rest.split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** True while the process {@code pid} that had {@code startTime} is still alive (not a zombie). */
    public static boolean alive(long pid, long startTime) {
        try {
            String s = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            String rest = s.substring(s.lastIndexOf(')') + 2);
            if (rest.startsWith("Z") || rest.startsWith("X")) {
                return false;
            }
            return startTime < 0 || Long.parseLong(rest.split(" ")[19]) == startTime;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
