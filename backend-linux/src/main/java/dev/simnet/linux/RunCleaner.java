package dev.simnet.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes everything one run created, in an order that works whatever state a crash left:
 * processes first (those recorded, and any other process whose network namespace is one of the
 * run's), then namespaces (lazy unmount + unlink), then {@code /etc/netns} directories, then the
 * state file. Used by normal close, the shutdown hook and the stale-run sweep. Never touches an
 * object whose name does not start with {@code sn-RUNID-}.
 */
final class RunCleaner {
    private RunCleaner() {
    }

    /** What was removed. */
    record Removed(int processes, int namespaces, int etcDirs) {
    }

    static Removed clean(String runId, List<RunState.Entry> entries) {
        String prefix = RunState.PREFIX + runId + "-";
        Set<String> namespaces = new LinkedHashSet<>();
        Set<String> etcDirs = new LinkedHashSet<>();
        Map<Long, Long> pids = new HashMap<>();
        for (RunState.Entry e : entries) {
            switch (e.kind()) {
                case "netns" -> {
                    if (e.value().startsWith(prefix)) {
                        namespaces.add(e.value());
                    }
                }
                case "etcdir" -> {
                    Path p = Paths.get(e.value());
                    if (p.getParent() != null && p.getParent().equals(EtcNetns.ETC_NETNS)
                            && p.getFileName().toString().startsWith(prefix)) {
                        etcDirs.add(p.getFileName().toString());
                    }
                }
                case "pid" -> {
                    try {
                        pids.put(Long.parseLong(e.value()), e.startTime());
                    } catch (NumberFormatException ignored) {
                        // skipped: not a pid
                    }
                }
                default -> {
                }
            }
        }
        // objects that exist on disk with the run's prefix, even if their line was lost
        namespaces.addAll(listPrefixed(NetNamespace.NETNS_RUN_DIR, prefix));
        etcDirs.addAll(listPrefixed(EtcNetns.ETC_NETNS, prefix));

        // the namespaces' inodes, taken before they are unlinked: processes found by them in the second pass
        Set<String> inodes = new LinkedHashSet<>();
        for (String n : namespaces) {
            long ino = NetNamespace.inodeOf(NetNamespace.NETNS_RUN_DIR.resolve(n));
            if (ino > 0) {
                inodes.add("net:[" + ino + "]");
            }
        }
        int killed = killProcesses(pids, inodes, prefix);
        int ns = 0;
        List<String> failures = new ArrayList<>();
        for (String n : namespaces) {
            try {
                if (NetNamespace.deleteByName(n)) {
                    ns++;
                }
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        // second pass: a process the dead owner had just started ("ip netns exec NAME …" that opened the
        // namespace file before the unlink but joined it only after the first scan) is in it now
        killed += killProcesses(Map.of(), inodes, prefix);
        int etc = 0;
        for (String d : etcDirs) {
            try {
                if (EtcNetns.remove(d)) {
                    etc++;
                }
            } catch (IOException | RuntimeException e) {
                failures.add("remove /etc/netns/" + d + ": " + e.getMessage());
            }
        }
        // the run's tmpfs: only ever at STATEDIR/sn-RUNID-etc, whatever the state file says
        try {
            EtcNetns.removeFilesRoot(RunState.stateDir().resolve(prefix + "etc"));
        } catch (RuntimeException e) {
            failures.add(e.getMessage());
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("cleanup of run " + runId + " incomplete: " + String.join("; ", failures));
        }
        return new Removed(killed, ns, etc);
    }

    static List<String> listPrefixed(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Kills (SIGKILL) and waits for: the recorded processes still alive, every process whose network
     * namespace is one of {@code inodes}, and every {@code ip netns exec sn-RUNID-…} not yet inside it.
     */
    private static int killProcesses(Map<Long, Long> recorded, Set<String> inodes, String prefix) {
        long self = ProcessHandle.current().pid();
        Set<Long> victims = new LinkedHashSet<>();
        recorded.forEach((pid, st) -> {
            if (pid != self && RunState.alive(pid, st)) {
                victims.add(pid);
            }
        });
        victims.addAll(processesIn(inodes, prefix, self));
        Map<Long, Long> killed = new LinkedHashMap<>();
        for (long pid : victims) {
            long st = RunState.startTime(pid);
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                killed.put(pid, st);
            });
        }
        // Wait (at most 2 s in all) until each is dead. A killed process is done once it is a zombie: it
        // has left its namespaces and closed its sockets, and only its parent (for an orphan of a dead
        // run, init, which may reap it much later) can remove it — so not ProcessHandle.onExit, which
        // waits for the reaping.
        for (int i = 0; i < 200 && killed.entrySet().stream().anyMatch(e -> RunState.alive(e.getKey(), e.getValue())); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return killed.size();
    }

    /**
     * Pids (other than {@code self}) whose main thread's network namespace link is in {@code nsLinks}, or
     * that are an {@code ip netns exec NAME} with NAME starting with {@code prefix} (started, not yet
     * inside). The command line is read before the namespace link: a process that execs its command in
     * between has joined the namespace by then.
     */
    static List<Long> processesIn(Set<String> nsLinks, String prefix, long self) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Paths.get("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) {
                    continue;
                }
                long pid = Long.parseLong(n);
                if (pid == self) {
                    continue;
                }
                try {
                    if (entersRunNamespace(Files.readAllBytes(p.resolve("cmdline")), prefix)) {
                        out.add(pid);
                        continue;
                    }
                    String link = Files.readSymbolicLink(p.resolve("ns/net")).toString();
                    if (nsLinks.contains(link)) {
                        out.add(pid);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // process gone or kernel thread
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** True for the command line {@code …/ip [options] netns exec NAME …} with NAME starting with {@code prefix}. */
    static boolean entersRunNamespace(byte[] cmdline, String prefix) {
        if (cmdline.length == 0 || prefix == null) {
            return false;
        }
        String[] argv = new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).split("\0");
        String prog = argv[0].substring(argv[0].lastIndexOf('/') + 1);
        if (!prog.equals("ip")) {
            return false;
        }
        for (int i = 1; i + 2 < argv.length; i++) {
            if (argv[i].equals("netns") && argv[i + 1].equals("exec")) {
                return argv[i + 2].startsWith(prefix);
            }
        }
        return false;
    }
}
