package dev.simnet.bench.tap;

import dev.simnet.linux.CommandResult;
import dev.simnet.linux.LinuxTopology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A userspace network anchor for {@link TapVsKernel}: a parent namespace ({@code sntapb-PID-KIND-MTU-a}, lo plus a
 * veth uplink 192.0.2.1/24 (both ends inside it) with a default route, so pasta has a "host" configuration to copy) runs
 * {@code slirp4netns} or {@code pasta} for a child namespace ({@code sntapb-PID-KIND-MTU-c}); the server runs in
 * the parent and the client in the child reaches it through the tool's host-loopback mapping
 * (slirp4netns: 10.0.2.2; pasta: the gateway address 192.0.2.254) — through the tool's NAT, so the
 * anchor is one target that stands for both of {@link TapVsKernel}'s cases. Both namespaces are ours and
 * are deleted on close; anchors of different kinds or MTUs may be open at once.
 */
final class UserspaceAnchor implements TapVsKernel.Path {
    private final String parent;
    private final String child;
    private final String serverAddr;
    private final String name;
    private Process tool;

    private UserspaceAnchor(String name, String parent, String child, String serverAddr) {
        this.name = name;
        this.parent = parent;
        this.child = child;
        this.serverAddr = serverAddr;
    }

    /** {@code kind} is {@code slirp4netns} or {@code pasta}, optionally suffixed {@code -MTU} (default 1500). */
    static UserspaceAnchor open(String kindAndMtu) {
        String kind = kindAndMtu.contains("-") ? kindAndMtu.substring(0, kindAndMtu.indexOf('-')) : kindAndMtu;
        String mtu = kindAndMtu.contains("-") ? kindAndMtu.substring(kindAndMtu.indexOf('-') + 1) : "1500";
        long pid = ProcessHandle.current().pid();
        String base = "sntapb-" + pid + "-" + kind + "-" + mtu;
        UserspaceAnchor a = new UserspaceAnchor(kindAndMtu, base + "-a", base + "-c",
                kind.equals("slirp4netns") ? "10.0.2.2" : "192.0.2.254");
        try {
            a.start(kind, mtu);
            return a;
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private void start(String kind, String mtu) {
        sh("ip", "netns", "add", parent);
        sh("ip", "netns", "add", child);
        sh("ip", "-n", parent, "link", "set", "lo", "up");
        sh("ip", "-n", child, "link", "set", "lo", "up");
        sh("ip", "-n", parent, "link", "add", "up0", "type", "veth", "peer", "name", "up1");
        sh("ip", "-n", parent, "addr", "add", "192.0.2.1/24", "dev", "up0");
        sh("ip", "-n", parent, "link", "set", "up1", "up");
        sh("ip", "-n", parent, "link", "set", "up0", "up");
        sh("ip", "-n", parent, "route", "add", "default", "via", "192.0.2.254");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", parent));
        if (kind.equals("slirp4netns")) {
            cmd.addAll(List.of("slirp4netns", "--configure", "--mtu", mtu, "--netns-type=path", "/run/netns/" + child, "tap0"));
        } else {
            cmd.addAll(List.of("pasta", "-f", "--runas", "0:0", "--config-net", "-m", mtu, "--netns", "/run/netns/" + child));
        }
        try {
            tool = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(new java.io.File("/tmp/sntapb-" + kind + "-" + mtu + ".log")).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + kind + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < 100; i++) {
            CommandResult r = run("ip", "-n", child, "-4", "route", "show", "default");
            if (r.stdout().contains("default")) {
                return;
            }
            if (!tool.isAlive()) {
                throw new IllegalStateException(kind + " exited " + tool.exitValue() + " (see /tmp/sntapb-" + kind + "-" + mtu + ".log)");
            }
            sleep(100);
        }
        throw new IllegalStateException(kind + " did not configure " + child + " in 10 s");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CommandResult run(String... cmd) {
        try {
            return LinuxTopology.collect(new ProcessBuilder(cmd).start(), Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sh(String... cmd) {
        CommandResult r = run(cmd);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + r.stderr().strip());
        }
    }

    @Override
    public List<TapVsKernel.Target> targets(List<String> cases) {
        return List.of(new TapVsKernel.Target(name, name, "anchor (NAT)", child, parent, serverAddr));
    }

    @Override
    public void close() {
        if (tool != null) {
            tool.destroyForcibly();
            try {
                tool.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        run("ip", "netns", "del", child);
        run("ip", "netns", "del", parent);
    }
}
