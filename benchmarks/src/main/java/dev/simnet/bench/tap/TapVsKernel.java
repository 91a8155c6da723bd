package dev.simnet.bench.tap;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.tap.TapBackend;
import dev.simnet.tap.TapNetwork;
import dev.simnet.topology.ContainerPlan;
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
 * Side-by-side datapath comparison between two "containers" (a benchmark, not a test): bulk TCP
 * throughput ({@code iperf3 -J}), TCP request/response rate (64-byte ping-pong on one connection,
 * python on both ends) and ping latency, over
 * <ul>
 *   <li>{@code kernel}: veth + Linux bridge built by the Linux backend,</li>
 *   <li>{@code tap}: real namespaces whose eth0 is a TAP into simnet's engine (simulated bridge),</li>
 *   <li>{@code slirp4netns} and {@code pasta}: the userspace anchors, client namespace to a server in its
 *       parent namespace through the tool's gateway address.</li>
 * </ul>
 * Usage: {@code TapVsKernel [seconds=5] [reps=3] [paths=kernel,tap,tap-nooffload,slirp4netns,pasta,slirp4netns-65520,pasta-65520]}
 * ({@code tap-nooffload}: TAPs without {@code IFF_VNET_HDR}; {@code -65520}: the tool's MTU, as rootless
 * Docker/Podman configure it; the others use MTU 1500 like the containers' eth0). Prints a
 * Markdown table of medians and the ratios against the targets.
 */
public final class TapVsKernel {
    private static final Duration T = Duration.ofSeconds(60);

    private TapVsKernel() {
    }

    /** A place to run a client and a server. */
    interface Path extends AutoCloseable {
        String clientNs();

        String serverNs();

        String serverAddr();

        @Override
        void close();

        /** For the TAP path: {bytes allocated by the engine loop, frames handled}; null elsewhere. */
        default long[] engineCounters() {
            return null;
        }
    }

    /** Medians of one path. */
    record Result(String path, double gbps, double rrPerSec, double pingMs, String note) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> paths = args.length > 2 ? Arrays.asList(args[2].split(",")) : List.of("kernel", "tap", "tap-nooffload", "slirp4netns", "pasta", "slirp4netns-65520", "pasta-65520");
        if (!TapBackend.isAvailable()) {
            System.err.println("TAP backend unavailable: " + TapBackend.unavailabilityCause());
            System.exit(2);
        }
        System.out.println("# tap-vs-kernel " + java.time.Instant.now() + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " load=" + loadavg() + " seconds=" + seconds + " reps=" + reps);
        List<Result> results = new ArrayList<>();
        for (String p : paths) {
            try (Path path = open(p)) {
                results.add(measure(p, path, seconds, reps));
            } catch (RuntimeException e) {
                System.out.println("# " + p + ": " + e.getMessage());
                results.add(new Result(p, Double.NaN, Double.NaN, Double.NaN, "failed: " + e.getMessage()));
            }
        }
        System.out.println();
        System.out.println("| path | TCP throughput (Gbit/s) | TCP_RR (trans/s) | ping RTT median (ms) | note |");
        System.out.println("|---|---:|---:|---:|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f | %.3f | %s |%n", r.path, r.gbps, r.rrPerSec, r.pingMs, r.note);
        }
        Map<String, Result> by = new LinkedHashMap<>();
        results.forEach(r -> by.put(r.path, r));
        Result tap = by.get("tap");
        if (tap != null) {
            System.out.println();
            for (String other : List.of("kernel", "slirp4netns", "pasta", "slirp4netns-65520", "pasta-65520")) {
                Result o = by.get(other);
                if (o != null) {
                    System.out.printf(Locale.ROOT, "tap/%s: throughput %.2f×, TCP_RR %.2f×, ping %.2f× (latency ratio, >1 = tap slower)%n",
                            other, tap.gbps / o.gbps, tap.rrPerSec / o.rrPerSec, tap.pingMs / o.pingMs);
                }
            }
            System.out.println("load=" + loadavg());
        }
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

    static Path open(String name) {
        switch (name) {
            case "kernel": {
                LinuxTopology t = LinuxBackend.build(twoContainers(), LinuxTopology.Options.defaults()
                        .withEmbeddedDns(false).withInternetServices(false));
                return new Path() {
                    public String clientNs() { return t.namespaceOf("bt-client-1"); }
                    public String serverNs() { return t.namespaceOf("bt-server-1"); }
                    public String serverAddr() { return "172.18.0.3"; }
                    public void close() { t.close(); }
                };
            }
            case "tap":
            case "tap-nooffload": {
                TapNetwork t = TapBackend.build(twoContainers(), TapNetwork.Options.defaults().withServices(false)
                        .withOffloads(name.equals("tap")));
                return new Path() {
                    public String clientNs() { return t.kernel().namespaceOf("bt-client-1"); }
                    public String serverNs() { return t.kernel().namespaceOf("bt-server-1"); }
                    public String serverAddr() { return "172.18.0.3"; }
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

    static Result measure(String name, Path p, int seconds, int reps) throws Exception {
        List<Process> servers = new ArrayList<>();
        try {
            servers.add(spawn(p.serverNs(), "iperf3", "-s", "-p", "5201"));
            servers.add(spawn(p.serverNs(), "python3", "-c", RR_SERVER));
            Thread.sleep(700);
            double[] tput = new double[reps];
            double[] rr = new double[reps];
            String note = "";
            for (int i = 0; i < reps; i++) {
                long[] before = p.engineCounters();
                CommandResult r = exec(p.clientNs(), "iperf3", "-c", p.serverAddr(), "-p", "5201", "-t", String.valueOf(seconds), "-J");
                tput[i] = parseIperf(r.stdout()) / 1e9;
                long[] after = p.engineCounters();
                if (before != null && after != null && after[1] > before[1]) {
                    note = String.format(Locale.ROOT, "engine loop allocated %.1f B/frame over %d frames (iperf3 rep %d)",
                            (double) (after[0] - before[0]) / (after[1] - before[1]), after[1] - before[1], i + 1);
                    System.out.println("# " + name + " " + note);
                }
                CommandResult q = exec(p.clientNs(), "python3", "-c", RR_CLIENT, p.serverAddr(), String.valueOf(Math.max(1, seconds / 2)));
                rr[i] = Double.parseDouble(q.stdout().strip().isEmpty() ? "NaN" : q.stdout().strip());
                System.out.printf(Locale.ROOT, "# %s rep %d: %.2f Gbit/s, %.0f trans/s%n", name, i + 1, tput[i], rr[i]);
            }
            CommandResult ping = exec(p.clientNs(), "ping", "-c", "200", "-i", "0.005", p.serverAddr());
            double pingMs = medianPing(ping.stdout());
            System.out.printf(Locale.ROOT, "# %s ping median %.3f ms%n", name, pingMs);
            return new Result(name, median(tput), median(rr), pingMs, note);
        } finally {
            for (Process s : servers) {
                s.destroyForcibly();
                s.waitFor();
            }
        }
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

    static double medianPing(String out) {
        Matcher m = TIME.matcher(out);
        List<Double> v = new ArrayList<>();
        while (m.find()) {
            v.add(Double.parseDouble(m.group(1)));
        }
        return median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] a) {
        if (a.length == 0) {
            return Double.NaN;
        }
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
