package dev.simnet.bench.tap;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.tap.TapBackend;
import dev.simnet.tap.TapNetwork;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side datapath comparison (a benchmark, not a test): bulk TCP throughput ({@code iperf3 -J}),
 * TCP request/response rate (64-byte ping-pong on one connection, python on both ends) and ping
 * latency, in two cases —
 * <ul>
 *   <li>{@code c2c}: between two "containers" on one Docker network,</li>
 *   <li>{@code nat}: from a container to a server in the internet namespace (203.0.113.254) through the
 *       Docker host's masquerade,</li>
 * </ul>
 * over
 * <ul>
 *   <li>{@code kernel}: veth + Linux bridge + the kernel's routing, conntrack and NAT, built by the Linux
 *       backend with Docker's rules loaded (iptables-nft),</li>
 *   <li>{@code tap}: real namespaces whose eth0 is a TAP into simnet's engine (simulated bridge, routing,
 *       conntrack and masquerade; the uplink a TAP into the internet namespace), the engine loop polling
 *       the TAPs itself; {@code tap-threads}: the same with one reader thread per TAP handing batches to
 *       the loop (the earlier design); {@code tap-segmented}: routed super-frames segmented in software before
 *       the engine routes them (the earlier NAT path; switched ones stay whole); {@code tap-nooffload}: TAPs
 *       without {@code IFF_VNET_HDR},</li>
 *   <li>{@code slirp4netns} and {@code pasta}: the userspace anchors, a namespace reaching a server in its
 *       parent namespace through the tool's NAT (so they measure one case, a NAT path by nature).</li>
 * </ul>
 * Usage: {@code TapVsKernel [seconds=5] [reps=3] [paths=kernel,tap,tap-threads,tap-segmented,tap-nooffload,slirp4netns,pasta,slirp4netns-65520,pasta-65520] [cases=c2c,nat]}
 * ({@code -65520}: the tool's MTU, as rootless Docker/Podman configure it; the others use MTU 1500 like
 * the containers' eth0). Every path is built first; then each repetition measures every (path, case) in
 * turn, so slow drifts of the machine's load spread over all of them. Prints a Markdown table of medians
 * and the ratios.
 */
public final class TapVsKernel {
    private static final Duration T = Duration.ofSeconds(60);
    static final String INTERNET_SERVER = InternetPlan.ROUTER_ADDRESS.toString();
    static final List<String> DEFAULT_PATHS = List.of("kernel", "tap", "tap-threads", "tap-segmented", "tap-nooffload", "slirp4netns",
            "pasta", "slirp4netns-65520", "pasta-65520");

    private TapVsKernel() {
    }

    /** A datapath: one or two places to run a client and a server. */
    interface Path extends AutoCloseable {
        /** The measurable cases: c2c and nat, or one anchor target. */
        List<Target> targets(List<String> cases);

        @Override
        void close();

        /** For the TAP path: {bytes allocated by the engine loop, frames handled}; null elsewhere. */
        default long[] engineCounters() {
            return null;
        }
    }

    /** A client namespace reaching {@code serverAddr} where {@code serverNs} listens; {@code label} names path and case. */
    record Target(String label, String path, String kase, String clientNs, String serverNs, String serverAddr) {
    }

    /** Medians of one target. */
    record Result(String label, String path, String kase, double gbps, double rrPerSec, double pingMs, String note) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> paths = args.length > 2 ? Arrays.asList(args[2].split(",")) : DEFAULT_PATHS;
        List<String> cases = args.length > 3 ? Arrays.asList(args[3].split(",")) : List.of("c2c", "nat");
        if (!TapBackend.isAvailable()) {
            System.err.println("TAP backend unavailable: " + TapBackend.unavailabilityCause());
            System.exit(2);
        }
        System.out.println("# tap-vs-kernel " + java.time.Instant.now() + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " load=" + loadavg() + " seconds=" + seconds + " reps=" + reps + " paths=" + paths + " cases=" + cases);
        Map<String, Path> open = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        List<Process> servers = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try {
            for (String p : paths) {
                try {
                    Path path = open(p);
                    open.put(p, path);
                    targets.addAll(path.targets(cases));
                } catch (RuntimeException e) {
                    System.out.println("# " + p + ": " + e.getMessage());
                    results.add(new Result(p, p, "", Double.NaN, Double.NaN, Double.NaN, "failed: " + e.getMessage()));
                }
            }
            java.util.Set<String> serverNs = new java.util.LinkedHashSet<>();
            for (Target t : targets) {
                if (serverNs.add(t.serverNs)) {
                    servers.add(spawn(t.serverNs, "iperf3", "-s", "-p", "5201"));
                    servers.add(spawn(t.serverNs, "python3", "-c", RR_SERVER));
                }
            }
            Thread.sleep(1000);
            results.addAll(measure(targets, open, seconds, reps));
        } finally {
            for (Process s : servers) {
                s.destroyForcibly();
                s.waitFor();
            }
            for (Path p : open.values()) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    System.out.println("# close: " + e.getMessage());
                }
            }
        }
        System.out.println();
        System.out.println("| path | case | TCP throughput (Gbit/s) | TCP_RR (trans/s) | ping RTT median (ms) | note |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.0f | %.3f | %s |%n", r.path, r.kase, r.gbps, r.rrPerSec, r.pingMs, r.note);
        }
        Map<String, Result> by = new LinkedHashMap<>();
        results.forEach(r -> by.put(r.label, r));
        System.out.println();
        for (Result r : results) {
            if (!r.path.equals("tap") && !r.path.equals("tap-threads")) {
                continue;
            }
            for (String other : List.of("kernel " + r.kase, "tap-threads " + r.kase, "tap-segmented " + r.kase, "slirp4netns", "slirp4netns-65520")) {
                Result o = by.get(other);
                if (o != null && o != r) {
                    System.out.printf(Locale.ROOT, "%s / %s: throughput %.2f×, TCP_RR %.2f×, ping %.2f× (latency ratio, >1 = slower)%n",
                            r.label, other, r.gbps / o.gbps, r.rrPerSec / o.rrPerSec, r.pingMs / o.pingMs);
                }
            }
        }
        System.out.println("load=" + loadavg());
    }

    private static String loadavg() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    static TopologyPlan twoContainers() {
        SplittableRandom rnd = new SplittableRandom(11);
        NetworkPlan n = SyntheticPlans.network("bt", 0, rnd);
        ContainerPlan a = SyntheticPlans.container("bt", "client", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.2")), rnd);
        ContainerPlan b = SyntheticPlans.container("bt", "server", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.3")), rnd);
        return new TopologyPlan("bt", List.of(n), List.of(a, b), true, List.of(), 11);
    }

    /** The c2c and nat targets of a Docker-host topology whose client, server and internet namespaces are given. */
    static List<Target> dockerTargets(String path, List<String> cases, String client, String server, String internet) {
        List<Target> t = new ArrayList<>();
        if (cases.contains("c2c")) {
            t.add(new Target(path + " c2c", path, "c2c", client, server, "172.18.0.3"));
        }
        if (cases.contains("nat")) {
            t.add(new Target(path + " nat", path, "nat", client, internet, INTERNET_SERVER));
        }
        return t;
    }

    static Path open(String name) {
        switch (name) {
            case "kernel": {
                LinuxTopology t = LinuxBackend.build(twoContainers(), LinuxTopology.Options.defaults()
                        .withEmbeddedDns(false).withInternetServices(false));
                return new Path() {
                    public List<Target> targets(List<String> cases) {
                        return dockerTargets(name, cases, t.namespaceOf("bt-client-1"), t.namespaceOf("bt-server-1"), t.internetNamespace());
                    }
                    public void close() { t.close(); }
                };
            }
            case "tap":
            case "tap-threads":
            case "tap-segmented":
            case "tap-nooffload": {
                TapNetwork t = TapBackend.build(twoContainers(), TapNetwork.Options.defaults().withServices(false)
                        .withOffloads(!name.equals("tap-nooffload")).withLoopIo(!name.equals("tap-threads"))
                        .withRoutedOffload(!name.equals("tap-segmented")));
                return new Path() {
                    public List<Target> targets(List<String> cases) {
                        LinuxTopology k = t.kernel();
                        return dockerTargets(name, cases, k.namespaceOf("bt-client-1"), k.namespaceOf("bt-server-1"), k.internetNamespace());
                    }
                    public void close() { t.close(); }
                    public long[] engineCounters() { return new long[] {t.engineAllocatedBytes(), t.framesHandled()}; }
                };
            }
            default:
                if (name.startsWith("slirp4netns") || name.startsWith("pasta")) {
                    return UserspaceAnchor.open(name);
                }
                throw new IllegalArgumentException("unknown path " + name);
        }
    }

    /** Every repetition measures every target in turn (alternating paths); medians per target. */
    static List<Result> measure(List<Target> targets, Map<String, Path> paths, int seconds, int reps) throws Exception {
        int n = targets.size();
        double[][] tput = new double[n][reps];
        double[][] rr = new double[n][reps];
        List<List<Double>> pings = new ArrayList<>();
        String[] notes = new String[n];
        for (int k = 0; k < n; k++) {
            pings.add(new ArrayList<>());
            notes[k] = "";
        }
        for (int i = 0; i < reps; i++) {
            System.out.println("# rep " + (i + 1) + " load=" + loadavg());
            for (int k = 0; k < n; k++) {
                Target t = targets.get(k);
                Path p = paths.get(t.path);
                try {
                    long[] before = p.engineCounters();
                    CommandResult r = exec(t.clientNs, "iperf3", "-c", t.serverAddr, "-p", "5201", "-t", String.valueOf(seconds), "-J");
                    tput[k][i] = parseIperf(r.stdout()) / 1e9;
                    long[] after = p.engineCounters();
                    if (before != null && after != null && after[1] > before[1]) {
                        notes[k] = String.format(Locale.ROOT, "engine loop allocated %.1f B/frame over %d frames (iperf3 rep %d)",
                                (double) (after[0] - before[0]) / (after[1] - before[1]), after[1] - before[1], i + 1);
                        System.out.println("# " + t.label + " " + notes[k]);
                    }
                    CommandResult q = exec(t.clientNs, "python3", "-c", RR_CLIENT, t.serverAddr, String.valueOf(Math.max(1, seconds / 2)));
                    rr[k][i] = Double.parseDouble(q.stdout().strip().isEmpty() ? "NaN" : q.stdout().strip());
                    CommandResult ping = exec(t.clientNs, "ping", "-c", "200", "-i", "0.005", t.serverAddr);
                    List<Double> rtts = pingTimes(ping.stdout());
                    pings.get(k).addAll(rtts);
                    System.out.printf(Locale.ROOT, "# %s rep %d: %.2f Gbit/s, %.0f trans/s, ping median %.3f ms%n", t.label, i + 1,
                            tput[k][i], rr[k][i], median(rtts.stream().mapToDouble(Double::doubleValue).toArray()));
                } catch (RuntimeException e) {
                    tput[k][i] = Double.NaN;
                    rr[k][i] = Double.NaN;
                    notes[k] = "failed: " + e.getMessage();
                    System.out.println("# " + t.label + " rep " + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        List<Result> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Target t = targets.get(k);
            out.add(new Result(t.label, t.path, t.kase, median(tput[k]), median(rr[k]),
                    median(pings.get(k).stream().mapToDouble(Double::doubleValue).toArray()), notes[k]));
        }
        return out;
    }

    /** Echo server: 64-byte messages, one thread per connection. */
    static final String RR_SERVER = """
            import socket, threading
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('0.0.0.0', 5202)); s.listen(16)
            def serve(c):
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                while True:
                    d = c.recv(64)
                    if not d: return
                    c.sendall(d)
            while True:
                c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
            """;

    /** Client: ping-pong 64 bytes for N seconds, prints transactions per second. */
    static final String RR_CLIENT = """
            import socket, sys, time
            c = socket.create_connection((sys.argv[1], 5202), timeout=10)
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            m = b'x' * 64; n = 0; end = time.monotonic() + float(sys.argv[2]); t0 = time.monotonic()
            while time.monotonic() < end:
                c.sendall(m); got = 0
                while got < 64: got += len(c.recv(64 - got))
                n += 1
            print(n / (time.monotonic() - t0))
            """;

    static Process spawn(String ns, String... cmd) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(cmd));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static CommandResult exec(String ns, String... cmd) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(cmd));
        Process p = new ProcessBuilder(argv).start();
        return LinuxTopology.collect(p, T);
    }

    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)", Pattern.DOTALL);
    private static final Pattern TIME = Pattern.compile("time=([0-9.]+) ms");

    static double parseIperf(String json) {
        Matcher m = RECEIVED.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no sum_received in iperf3 output: " + json.substring(0, Math.min(400, json.length())));
        }
        return Double.parseDouble(m.group(1));
    }

    static List<Double> pingTimes(String out) {
        Matcher m = TIME.matcher(out);
        List<Double> v = new ArrayList<>();
        while (m.find()) {
            v.add(Double.parseDouble(m.group(1)));
        }
        return v;
    }

    static double median(double[] a) {
        double[] s = Arrays.stream(a).filter(x -> !Double.isNaN(x)).toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
