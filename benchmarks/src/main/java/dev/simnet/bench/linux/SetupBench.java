package dev.simnet.bench.linux;

import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Wall-clock comparison (not JMH: each operation builds ~100 namespaces) of bringing up and tearing
 * down {@code N} containers on {@code M} networks with the Linux backend (rtnetlink batches,
 * namespaces from jnr-ffi) against {@code linux-setup-naive.sh} (one {@code ip} fork per object), in
 * the same run, alternating. Prints every repetition, the medians and the ratio.
 *
 * <p>Usage: {@code SetupBench [containers=100] [networks=4] [reps=5] [script=benchmarks/linux-setup-naive.sh]}
 */
public final class SetupBench {
    private static final List<String> scriptIds = java.util.Collections.synchronizedList(new ArrayList<>());

    private SetupBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String script = args.length > 3 ? args[3] : "benchmarks/linux-setup-naive.sh";
        if (!LinuxBackend.isAvailable()) {
            System.out.println("SKIPPED: " + LinuxBackend.unavailabilityCause());
            return;
        }
        if (!Files.isExecutable(Path.of(script))) {
            throw new IllegalArgumentException("baseline script not found: " + script);
        }
        LinuxBackend.sweepStale();
        TopologyPlan plan = SyntheticPlans.spread(n, m, 1);
        // the same objects the naive script makes: namespaces, bridges, veths, addresses, routes, sysctls,
        // /etc/netns files — no rule set, no servers
        LinuxTopology.Options opts = LinuxTopology.Options.linksOnly();
        // warm-up (class loading, JIT of the netlink writer), not counted
        LinuxBackend.build(plan, opts).close();

        // if this benchmark is interrupted, remove what the baseline script made (its objects are snb-ID-…)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String id : scriptIds) {
                try (var s = Files.list(Path.of("/run/netns"))) {
                    for (Path p : s.filter(x -> x.getFileName().toString().startsWith("snb-" + id + "-")).toList()) {
                        new ProcessBuilder("ip", "netns", "del", p.getFileName().toString()).start().waitFor();
                    }
                } catch (IOException | InterruptedException ignored) {
                    // best effort at exit
                }
            }
        }));
        List<Double> jUp = new ArrayList<>();
        List<Double> jDown = new ArrayList<>();
        List<Double> qUp = new ArrayList<>();
        List<Double> sUp = new ArrayList<>();
        List<Double> sDown = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%d containers on %d networks, %d repetitions%n", n, m, reps);
        System.out.printf(Locale.ROOT, "%-4s %12s %12s %12s %12s %12s%n", "rep", "java up s", "java down s", "java 1q up s", "ip up s",
                "ip down s");
        for (int r = 0; r < reps; r++) {
            StringBuilder phases = new StringBuilder();
            long[] last = {System.nanoTime()};
            LinuxTopology.Options timed = opts.withProgress(ph -> {
                long now = System.nanoTime();
                if (!ph.startsWith("run ")) {
                    phases.append(String.format(Locale.ROOT, " %s=%.0fms", ph, (now - last[0]) / 1e6));
                }
                last[0] = now;
            });
            settle();
            long t0 = System.nanoTime();
            LinuxTopology t = LinuxBackend.build(plan, timed);
            jUp.add((System.nanoTime() - t0) / 1e9);
            LinuxTopology.BuildStats st = t.buildStats();
            phases.append(String.format(Locale.ROOT, " [wait-ns=%.0fms host-batches=%.0fms ctr-batches=%.0fms wait-ports=%.1fms]",
                    st.waitingForNamespaces() / 1e6, st.hostFlushes() / 1e6, st.containerFlushes() / 1e6,
                    st.waitingForPorts() / 1e6));
            settle();
            long t1 = System.nanoTime();
            t.close();
            jDown.add((System.nanoTime() - t1) / 1e9);

            // the same build with single-queue veths (LinuxTopology.Options.withVethQueues(1)): not what
            // Docker creates (numtxqueues = CPUs), shown beside it for what the kernel's queue shrink costs
            settle();
            long q0 = System.nanoTime();
            LinuxTopology tq = LinuxBackend.build(plan, opts.withVethQueues(1));
            qUp.add((System.nanoTime() - q0) / 1e9);
            tq.close();

            String id = randomId();
            scriptIds.add(id);
            settle();
            long s0 = System.nanoTime();
            runScript(script, "up", id, n, m);
            sUp.add((System.nanoTime() - s0) / 1e9);
            settle();
            long s1 = System.nanoTime();
            runScript(script, "down", id, n, m);
            sDown.add((System.nanoTime() - s1) / 1e9);
            System.out.printf(Locale.ROOT, "%-4d %12.3f %12.3f %12.3f %12.3f %12.3f   java phases:%s%n", r + 1, jUp.get(r), jDown.get(r),
                    qUp.get(r), sUp.get(r), sDown.get(r), phases);
        }
        double ju = median(jUp);
        double jd = median(jDown);
        double su = median(sUp);
        double sd = median(sDown);
        double qu = median(qUp);
        System.out.printf(Locale.ROOT, "%-4s %12.3f %12.3f %12.3f %12.3f %12.3f%n", "med", ju, jd, qu, su, sd);
        System.out.printf(Locale.ROOT, "setup speed-up (ip script / java, Docker's veth queues): %.1fx   teardown: java %.3f s, ip script %.3f s%n",
                su / ju, jd, sd);
        System.out.printf(Locale.ROOT, "with single-queue veths (not Docker's): %.1fx%n", su / qu);
    }

    /** Pause between timed phases so the kernel's asynchronous namespace cleanup of the previous phase does not land in the next one. */
    private static final long SETTLE_NS = 2_000_000_000L;

    private static void settle() throws InterruptedException {
        Thread.sleep(SETTLE_NS / 1_000_000);
    }

    private static void runScript(String script, String cmd, String id, int n, int m) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", script, cmd, id, Integer.toString(n), Integer.toString(m))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int rc = p.waitFor();
        if (rc != 0) {
            if (cmd.equals("up")) {
                new ProcessBuilder("sh", script, "down", id, Integer.toString(n), Integer.toString(m)).start().waitFor();
            }
            throw new IllegalStateException(script + " " + cmd + " exited " + rc);
        }
    }

    private static String randomId() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
