package dev.simnet.bench.scale;

import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.scenarios.docker.ControlPlane;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.sim.SimEngine;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.TopologyPlan;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Simulates a generated compose project of {@code C} containers on {@code K} networks and has every
 * container resolve a name and ping a peer. Per network {@code k} (subnet {@code 10.k.0.0/16}, given
 * in the file since Docker's default pools hold only 31 networks) the file has three services:
 *
 * <ul>
 *   <li>{@code api-k}: replicas, network alias {@code svc-k};</li>
 *   <li>{@code web-k}: replicas;</li>
 *   <li>{@code edge-k}: 2 replicas on {@code net-k} and on {@code net-(k+1)} (two networks), alias
 *       {@code gw-k} on the first.</li>
 * </ul>
 *
 * Every container then runs {@code ping -c 1 -W 2 NAME} through {@link SimEngine#exec}: the name goes
 * through the container's resolver stub to 127.0.0.11, Docker's DNAT to the embedded resolver's
 * socket, the embedded DNS core (project records, Docker's lookup rules), back over simulated UDP;
 * then ARP and one ICMP echo across the bridge. {@code api} replicas ping {@code web-k}, {@code web}
 * replicas ping the alias {@code svc-k}, {@code edge} replicas ping {@code api-(k+1)} on their second
 * network. Prints the phase times, heap after each phase (after a GC), events dispatched and
 * events per wall second.
 *
 * <pre>
 *   java -Xmx2g -cp benchmarks.jar dev.simnet.bench.scale.ScaleWorkload [CONTAINERS=10000] [NETWORKS=100] [SEED=1]
 * </pre>
 */
public final class ScaleWorkload {
    private ScaleWorkload() {
    }

    /** The compose file: {@code containers} containers spread over {@code networks} networks. */
    public static String composeYaml(int containers, int networks) {
        int perNet = containers / networks;
        if (perNet < 4 || containers % networks != 0) {
            throw new IllegalArgumentException("need a multiple of networks with at least 4 containers per network");
        }
        if (networks > 250) {
            throw new IllegalArgumentException("at most 250 networks (10.k.0.0/16)");
        }
        int edge = 2;
        int api = (perNet - edge) / 2;
        int web = perNet - edge - api;
        StringBuilder y = new StringBuilder(containers * 8 + networks * 400);
        y.append("name: scale\nservices:\n");
        for (int k = 0; k < networks; k++) {
            int next = (k + 1) % networks;
            y.append("  api-").append(k).append(":\n    image: alpine\n    deploy:\n      replicas: ").append(api)
                    .append("\n    networks:\n      net-").append(k).append(":\n        aliases: [svc-").append(k).append("]\n");
            y.append("  web-").append(k).append(":\n    image: alpine\n    deploy:\n      replicas: ").append(web)
                    .append("\n    networks: [net-").append(k).append("]\n");
            y.append("  edge-").append(k).append(":\n    image: alpine\n    deploy:\n      replicas: ").append(edge)
                    .append("\n    networks:\n      net-").append(k).append(":\n        aliases: [gw-").append(k).append("]\n")
                    .append("      net-").append(next).append(": {}\n");
        }
        y.append("networks:\n");
        for (int k = 0; k < networks; k++) {
            y.append("  net-").append(k).append(":\n    ipam:\n      config:\n        - subnet: 10.").append(k).append(".0.0/16\n");
        }
        return y.toString();
    }

    /** The name a container pings, from its service: see the class comment. */
    static String peerOf(ContainerPlan c, int networks) {
        String svc = c.service();
        int dash = svc.lastIndexOf('-');
        int k = Integer.parseInt(svc.substring(dash + 1));
        return switch (svc.substring(0, dash)) {
            case "api" -> "web-" + k;
            case "web" -> "svc-" + k;
            default -> "api-" + ((k + 1) % networks);
        };
    }

    /** Milliseconds all collectors have spent so far. */
    private static long gcMillis() {
        long t = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    /** CPU nanoseconds of the whole process (every thread: JIT compilers and GC included). */
    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static long heapAfterGc(MemoryMXBean mem) {
        System.gc();
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) {
        int containers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int networks = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long heap0 = heapAfterGc(mem);

        long g0 = gcMillis();
        long p0 = processCpu();
        long t0 = System.nanoTime();
        long c0 = mx.getCurrentThreadCpuTime();
        String yaml = composeYaml(containers, networks);
        ComposeFile compose = ComposeParser.parse(yaml, "generated-compose.yaml", Path.of("."), ComposeParser.Options.defaults());
        long t1 = System.nanoTime();
        DockerProject project = ControlPlane.build(compose, seed);
        TopologyPlan plan = project.plan();
        long t2 = System.nanoTime();
        SimEngine engine = new SimEngine(seed);
        engine.build(plan);
        long t3 = System.nanoTime();
        long c3 = mx.getCurrentThreadCpuTime();
        long g3 = gcMillis();
        long p3 = processCpu();
        long buildEvents = engine.simulation().scheduler().dispatchedCount();
        long heapBuilt = heapAfterGc(mem);

        List<ContainerPlan> list = new ArrayList<>(plan.containers());
        int ok = 0;
        List<String> failures = new ArrayList<>();
        long g4 = gcMillis();
        long p4 = processCpu();
        long t4 = System.nanoTime();
        long c4 = mx.getCurrentThreadCpuTime();
        for (ContainerPlan c : list) {
            ExecResult r = engine.exec(ExecTarget.container(c.name()), List.of("ping", "-c", "1", "-W", "2", peerOf(c, networks)));
            if (r.exit() == 0) {
                ok++;
            } else if (failures.size() < 5) {
                failures.add(c.name() + " -> " + peerOf(c, networks) + ": exit " + r.exit() + " " + r.stdout() + r.stderr());
            }
        }
        long t5 = System.nanoTime();
        long c5 = mx.getCurrentThreadCpuTime();
        long g5 = gcMillis();
        long p5 = processCpu();
        long events = engine.simulation().scheduler().dispatchedCount() - buildEvents;
        long heapEnd = heapAfterGc(mem);
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }

        System.out.printf(Locale.ROOT, "containers=%d networks=%d namespaces=%d two_network_containers=%d%n",
                list.size(), networks, engine.simulation().namespaces().size(),
                list.stream().filter(c -> c.endpoints().size() > 1).count());
        System.out.printf(Locale.ROOT, "parse_s=%.3f control_plane_s=%.3f sim_build_s=%.3f build_total_s=%.3f build_cpu_s=%.3f"
                        + " build_events=%d (3 s of settle time: gratuitous ARPs)%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, (c3 - c0) / 1e9, buildEvents);
        System.out.printf(Locale.ROOT, "heap_used_after_build_mib=%.0f (baseline %.0f) heap_used_at_end_mib=%.0f heap_peak_mib=%.0f max_heap_mib=%.0f%n",
                heapBuilt / 1048576.0, heap0 / 1048576.0, heapEnd / 1048576.0, peak / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.printf(Locale.ROOT, "resolve_and_ping: ok=%d/%d wall_s=%.3f cpu_s=%.3f events=%d events_per_wall_s=%.0f virtual_s=%.3f%n",
                ok, list.size(), (t5 - t4) / 1e9, (c5 - c4) / 1e9, events, events / ((t5 - t4) / 1e9),
                engine.now() / 1e9);
        System.out.printf(Locale.ROOT, "gc_s: build=%.3f resolve_and_ping=%.3f; process_cpu_s (all threads): build=%.3f resolve_and_ping=%.3f%n",
                (g3 - g0) / 1e3, (g5 - g4) / 1e3, (p3 - p0) / 1e9, (p5 - p4) / 1e9);
        for (String f : failures) {
            System.out.println("failed: " + f);
        }
        if (Boolean.getBoolean("scale.histo")) {
            System.out.println(histogram());
        }
        engine.close();
        if (ok != list.size()) {
            System.exit(1);
        }
    }

    /** The live-object class histogram ({@code jcmd PID GC.class_histogram}), for finding what grows. */
    static String histogram() {
        try {
            Object r = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            String[] lines = String.valueOf(r).split("\n");
            return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 30)));
        } catch (Exception e) {
            return "no histogram: " + e;
        }
    }

    /** For tests: the services of a generated file, by name. */
    static Map<String, ?> services(ComposeFile f) {
        return f.services();
    }
}
