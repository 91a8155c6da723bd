package dev.simnet.scenarios.engine.linux;

import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.topology.PlanRecords;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.serve.MiniHttpServer;
import dev.simnet.linux.serve.TcpAcceptServer;
import dev.simnet.linux.serve.TcpRelayProcess;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.Impairment;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.sim.TextFilters;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.TopologyPlan;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --backend linux} engine: the plan built on real kernel namespaces
 * ({@link LinuxBackend}), commands run with the real tools through {@code ip netns exec}, image
 * models without a real binary (nginx, httpd, whoami) served by {@link MiniHttpServer} behind a
 * {@link TcpRelayProcess}: a process named as the image's main process ({@code nginx: master process
 * …}, {@code httpd -DFOREGROUND}, {@code /whoami}) owns the listening sockets in the container's
 * namespace, so {@code netstat -p}/{@code ss -p}/{@code lsns} show what they show on Docker, and hands
 * each connection (with its real client address) to the server in this JVM over a Unix socket of the
 * run (without {@code python3} the server listens in the namespace itself). Other images'
 * exposed/published ports (and redis,
 * postgres, mysql defaults) by {@link TcpAcceptServer}. Time is wall-clock: {@link #advance} sleeps.
 *
 * <p>For safety a compose {@code command:} is not executed (there is no image filesystem; it would
 * run on the host as root); an explicit {@code x-simnet: {run: "…"}} is run with {@code sh -c}
 * inside the namespace.
 */
public final class LinuxScenarioEngine implements ScenarioEngine {
    /** Longest a single command may run. */
    public static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    private final long startNanos = System.nanoTime();
    private LinuxTopology topo;
    private TopologyPlan plan;
    private final Map<String, List<AutoCloseable>> programs = new LinkedHashMap<>();
    private int relaySockets;

    private final java.util.function.Function<TopologyPlan, LinuxTopology> builder;

    /** Docker's namespace files as the control plane names them: {@code /var/run/docker/netns/KEY}. */
    private static final java.util.regex.Pattern SANDBOX_PATH =
            java.util.regex.Pattern.compile("(?:/var)?/run/docker/netns/([0-9a-f]{12})");
    private java.util.function.Function<String, java.util.Optional<String>> containerOfKey = k -> java.util.Optional.empty();

    LinuxScenarioEngine() {
        this(LinuxBackend::build);
    }

    /**
     * An engine whose namespaces come from {@code builder} (the TAP backend passes one that builds its
     * TAP run and returns the kernel side), with the same programs, exec and DNS handling.
     */
    public LinuxScenarioEngine(java.util.function.Function<TopologyPlan, LinuxTopology> builder) {
        this.builder = builder;
    }

    @Override
    public void build(TopologyPlan plan) {
        this.plan = plan;
        this.topo = builder.apply(plan);
        for (ContainerPlan c : plan.containers()) {
            startPrograms(c);
        }
    }

    /** The underlying run (for tests and tools that need the namespaces). */
    public LinuxTopology topology() {
        return topo;
    }

    /** Starts {@code c}'s programs (image models, exposed ports, {@code x-simnet run}) in its namespace. */
    public void startPrograms(ContainerPlan c) {
        List<AutoCloseable> mine = new ArrayList<>();
        programs.put(c.name(), mine);
        if (c.networkMode().equals("host") || c.networkMode().equals("none")) {
            return;
        }
        String image = c.image() == null ? "" : c.image().toLowerCase(Locale.ROOT);
        Object m = c.extensions().get("model");
        String model = m != null ? m.toString()
                : image.contains("whoami") ? "whoami" : image.contains("nginx") ? "nginx" : image.contains("httpd") ? "httpd"
                : image.contains("redis") ? "redis" : image.contains("postgres") ? "postgres" : image.contains("mysql") ? "mysql" : "tcp";
        MiniHttpServer.Kind kind = switch (model) {
            case "whoami" -> MiniHttpServer.Kind.WHOAMI;
            case "nginx" -> MiniHttpServer.Kind.NGINX;
            case "httpd" -> MiniHttpServer.Kind.HTTPD;
            default -> null;
        };
        List<InetSocketAddress> listen = new ArrayList<>();
        Object l = c.extensions().get("listen");
        if (l instanceof List<?> entries) {
            for (Object o : entries) {
                InetSocketAddress a = tcpListen(o.toString());
                if (a != null && !listen.contains(a)) {
                    listen.add(a);
                }
            }
        } else {
            java.util.Set<Integer> ports = new java.util.TreeSet<>(c.exposedPorts());
            c.ports().forEach(p -> ports.add(p.containerPort()));
            switch (model) {
                case "nginx", "httpd", "whoami" -> ports.add(80);
                case "redis" -> ports.add(6379);
                case "postgres" -> ports.add(5432);
                case "mysql" -> ports.add(3306);
                default -> { }
            }
            ports.forEach(p -> listen.add(new InetSocketAddress(p)));
        }
        List<String> ips = new ArrayList<>();
        ContainerPlan owner = plan.container(c.netns()).orElse(c);
        owner.endpoints().forEach(e -> ips.add(e.address().toString()));
        if (kind != null && !listen.isEmpty() && TcpRelayProcess.isAvailable()) {
            // the image's main process (named as on Docker) owns the listening sockets, so netstat/ss -p and
            // lsns name it; it relays each connection to our server on a Unix socket of the run
            Path sock = topo.runDirectory("relay").resolve(relaySockets++ + ".sock");
            MiniHttpServer server = MiniHttpServer.startUnix(sock, kind, c.hostname(), ips);
            try {
                mine.add(TcpRelayProcess.start(topo, c.name(), kind.commandLine(), kind.processName(), listen, sock));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            mine.add(server); // closed after the relay: no connection arrives once it is gone
        } else {
            for (InetSocketAddress a : listen) {
                if (kind != null) {
                    mine.add(MiniHttpServer.start(topo.executor(c.name()), a, kind, c.hostname(), ips));
                } else {
                    mine.add(TcpAcceptServer.start(topo.executor(c.name()), a.getPort(), image.isEmpty() ? model : image));
                }
            }
            if (kind == MiniHttpServer.Kind.NGINX && c.ownsNamespace()) {
                // no python3 for the relay: at least ps and lsns show the container's main process
                Process p = topo.spawn(c.name(), List.of("bash", "-c", "exec -a '" + kind.commandLine() + "' sleep infinity"));
                mine.add(() -> kill(p));
            }
        }
        Object run = c.extensions().get("run");
        if (run != null) {
            Process p = topo.spawn(c.name(), List.of("sh", "-c", run.toString()));
            mine.add(() -> kill(p));
        }
    }

    /** {@code "80/tcp"}, {@code "127.0.0.1:8080/tcp"} → a bind address; IPv6 and UDP entries → null. */
    static InetSocketAddress tcpListen(String entry) {
        String e = entry.trim();
        if (!e.endsWith("/tcp") || e.startsWith("[")) {
            return null;
        }
        e = e.substring(0, e.length() - 4);
        int colon = e.lastIndexOf(':');
        try {
            int port = Integer.parseInt(colon < 0 ? e : e.substring(colon + 1));
            return colon < 0 ? new InetSocketAddress(port) : new InetSocketAddress(e.substring(0, colon), port);
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** SIGKILL and wait (briefly) until it is gone, so a later {@code lsns}/{@code ps} no longer lists it. */
    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Stops {@code c}'s programs. */
    public void stopPrograms(ContainerPlan c) {
        for (AutoCloseable a : programs.getOrDefault(c.name(), List.of())) {
            try {
                a.close();
            } catch (Exception ignored) {
                // the program is gone either way
            }
        }
        programs.remove(c.name());
    }

    @Override
    public void sandboxKeys(java.util.function.Function<String, java.util.Optional<String>> containerOfKey) {
        this.containerOfKey = containerOfKey;
    }

    /**
     * Runs {@code argv} as a Docker host's (or container's) shell would: a pipeline's first command
     * runs on the kernel, later stages ({@code grep}, {@code head}, {@code tail}, {@code wc} …) filter
     * its output with the simulator's {@link TextFilters}.
     */
    @Override
    public ExecResult exec(ExecTarget target, List<String> argv) {
        return TextFilters.pipeline(argv, target.kind() == ExecTarget.Kind.CONTAINER, first -> runOne(target, first));
    }

    /**
     * One command (no pipeline) on the kernel: in a container, in the internet namespace, or in the
     * run's host namespace — there with {@code sudo} dropped, {@code lsns} limited to this run and
     * nsenter's {@code --net=/var/run/docker/netns/KEY} mapped to the container's real namespace (the
     * TAP backend, whose Docker host is simulated, sends its host's {@code lsns} and {@code nsenter} here:
     * the container namespaces they look at are real).
     */
    public ExecResult runOne(ExecTarget target, List<String> command) {
        List<String> argv = new ArrayList<>(command);
        if (target.kind() == ExecTarget.Kind.HOST) {
            // the scenario's host shell is root: sudo is a no-op (and there is no sudo binary here)
            argv = TextFilters.withoutSudo(argv);
        }
        if (argv.isEmpty()) {
            return ExecResult.fail(127, ": command not found\n");
        }
        if (target.kind() == ExecTarget.Kind.HOST && argv.get(0).equals("nsenter")) {
            String err = mapSandboxPaths(argv);
            if (err != null) {
                return ExecResult.fail(1, err);
            }
        }
        CommandResult r = switch (target.kind()) {
            case CONTAINER -> topo.exec(target.container(), EXEC_TIMEOUT, argv.toArray(String[]::new));
            case HOST -> topo.execHost(EXEC_TIMEOUT, argv.toArray(String[]::new));
            case INTERNET -> topo.execInternet(EXEC_TIMEOUT, argv.toArray(String[]::new));
        };
        if (r.exitCode() == 255 && r.stderr().contains("exec of") && r.stderr().contains("No such file")) {
            return ExecResult.fail(127, argv.get(0) + ": command not found\n");
        }
        if (r.timedOut()) {
            return new ExecResult(124, r.stdout(), r.stderr() + argv.get(0) + ": timed out after " + EXEC_TIMEOUT.toSeconds() + " s\n");
        }
        String out = r.stdout();
        if (target.kind() == ExecTarget.Kind.HOST && argv.get(0).equals("lsns")) {
            out = onlyThisRun(out);
        }
        return new ExecResult(r.exitCode(), out, r.stderr());
    }

    /**
     * Rewrites nsenter's {@code --net=/var/run/docker/netns/KEY} (or {@code /run/docker/netns/KEY},
     * also as {@code --net PATH}) to this run's namespace of the container owning that sandbox key;
     * returns nsenter's error text when no running container owns it, else null.
     */
    private String mapSandboxPaths(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            String path;
            boolean joined;
            if (a.startsWith("--net=") || a.startsWith("--net-ns=")) {
                path = a.substring(a.indexOf('=') + 1);
                joined = true;
            } else if ((a.equals("--net") || a.equals("--net-ns")) && i + 1 < argv.size()
                    && argv.get(i + 1).startsWith("/")) {
                path = argv.get(++i);
                joined = false;
            } else if (a.equals("--") || !a.startsWith("-")) {
                break;
            } else {
                continue;
            }
            java.util.regex.Matcher m = SANDBOX_PATH.matcher(path);
            if (!m.matches()) {
                continue;
            }
            java.util.Optional<String> c = containerOfKey.apply(m.group(1));
            if (c.isEmpty()) {
                return "nsenter: cannot open " + path + ": No such file or directory\n";
            }
            String real = "/run/netns/" + topo.namespaceOf(c.get());
            argv.set(i, joined ? a.substring(0, a.indexOf('=') + 1) + real : real);
        }
        return null;
    }

    /**
     * {@code lsns} lists every namespace of the machine; the scenario's Docker host is this run's
     * namespaces, so other runs (and the machine's own namespaces) are left out, keeping the header.
     */
    private String onlyThisRun(String lsns) {
        String hostNs = topo.hostNamespace();
        String prefix = "/run/netns/" + hostNs.substring(0, hostNs.length() - "host".length());
        StringBuilder sb = new StringBuilder();
        String[] lines = lsns.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i == 0 || lines[i].contains(prefix)) {
                sb.append(lines[i]);
                if (i < lines.length - 1) {
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    @Override
    public void advance(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long now() {
        return System.nanoTime() - startNanos;
    }

    /**
     * {@code docker stop}: the container's programs end, its DNS records go, its docker-proxy instances
     * stop, its endpoints are deleted, and the host's rules are reloaded without its port mappings
     * (DNAT, filter ACCEPT, raw DROP, hairpin MASQUERADE), as Docker deletes them with the endpoint.
     */
    @Override
    public void stop(ContainerPlan container) {
        stopPrograms(container);
        if (topo.dnsRecords() != null) {
            topo.dnsRecords().stop(container.name());
        }
        topo.stopPortProxies(container.name());
        topo.disconnectAll(container.name());
        replacePlan(container.withEndpoints(List.of()));
    }

    /**
     * Puts {@code c} into the engine's plan (the programs started later read its namespace's addresses
     * from it) and, when Docker's rules are loaded in the kernel, reloads them for the new plan.
     */
    public void replaceContainer(ContainerPlan c) {
        replacePlan(c);
    }

    /**
     * Puts {@code c} into the engine's plan and, when Docker's rules are loaded, reloads the host's rule
     * set for it (published ports of a started, stopped, connected or disconnected container), as the
     * simulator does.
     */
    private void replacePlan(ContainerPlan c) {
        plan = plan.withContainer(c);
        if (topo.hostRulesLoaded()) {
            topo.loadHostRules(plan);
        }
    }

    @Override
    public void start(ContainerPlan container) {
        replacePlan(container);
        for (EndpointPlan e : container.endpoints()) {
            topo.connect(container.name(), e);
        }
        if (topo.dnsRecords() != null) {
            topo.dnsRecords().start(PlanRecords.container(container));
        }
        startPrograms(container);
        topo.startPortProxies(container);
    }

    @Override
    public void connect(ContainerPlan container, EndpointPlan endpoint) {
        topo.connect(container.name(), endpoint);
        replacePlan(container);
        if (topo.dnsRecords() != null) {
            topo.dnsRecords().connect(container.name(), new DnsEndpoint(endpoint.network(), endpoint.address(), endpoint.aliases()));
        }
    }

    @Override
    public void disconnect(ContainerPlan container, EndpointPlan endpoint) {
        if (topo.dnsRecords() != null) {
            topo.dnsRecords().disconnect(container.name(), endpoint.network());
        }
        topo.disconnect(container.name(), endpoint);
        replacePlan(container);
    }

    /**
     * {@code tc qdisc replace … netem} on both ends of the link (the host-side veth shapes traffic
     * towards the container, the container's interface traffic from it). Fails with the kernel's
     * answer when {@code sch_netem} is not available.
     */
    @Override
    public void impair(Impairment imp) {
        List<String[]> ends = new ArrayList<>();
        if (imp.uplink()) {
            ends.add(new String[] {topo.hostNamespace(), "eth0"});
            ends.add(new String[] {topo.internetNamespace(), "eth0"});
        } else {
            ContainerPlan c = plan.containers().stream()
                    .filter(x -> x.service().equals(imp.service()) && x.replica() == Math.max(1, imp.replica()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no container for " + imp.link()));
            ContainerPlan owner = plan.container(c.netns()).orElse(c);
            EndpointPlan e = owner.endpoints().stream()
                    .filter(x -> imp.network() == null || x.network().equals(imp.network()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no endpoint for " + imp.link()));
            ends.add(new String[] {topo.hostNamespace(), e.hostVeth()});
            ends.add(new String[] {topo.namespaceOf(c.name()), e.ifname()});
        }
        for (String[] end : ends) {
            List<String> cmd = new ArrayList<>(List.of("tc", "qdisc", imp.clear() ? "del" : "replace", "dev", end[1], "root"));
            if (!imp.clear()) {
                cmd.add("netem");
                cmd.addAll(netemArgs(imp));
            }
            CommandResult r = topo.runInNamespace(end[0], null, Duration.ofSeconds(10), cmd.toArray(String[]::new));
            if (!r.ok() && !(imp.clear() && r.stderr().contains("No such file"))) {
                throw new UnsupportedOperationException("tc " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: "
                        + r.stderr().strip() + (r.stderr().contains("qdisc kind is unknown") ? " (sch_netem not in this kernel)" : ""));
            }
        }
    }

    /** netem arguments with the same meaning as the simulator's {@link Impairment}. */
    static List<String> netemArgs(Impairment imp) {
        List<String> a = new ArrayList<>();
        if (imp.delayNanos() > 0) {
            a.add("delay");
            a.add(imp.delayNanos() / 1000 + "us");
            if (imp.jitterNanos() > 0) {
                a.add(imp.jitterNanos() / 1000 + "us");
                a.add("distribution");
                a.add("normal");
            }
        }
        pct(a, "loss", imp.lossPercent());
        pct(a, "duplicate", imp.duplicatePercent());
        pct(a, "corrupt", imp.corruptPercent());
        pct(a, "reorder", imp.reorderPercent());
        if (imp.rateBitsPerSecond() > 0) {
            a.add("rate");
            a.add(imp.rateBitsPerSecond() + "bit");
        }
        if (imp.limitPackets() > 0) {
            a.add("limit");
            a.add(Integer.toString(imp.limitPackets()));
        }
        return a;
    }

    private static void pct(List<String> a, String what, double p) {
        if (p > 0) {
            a.add(what);
            a.add(String.format(Locale.ROOT, "%.4f%%", p));
        }
    }

    @Override
    public void close() {
        if (plan != null) {
            for (ContainerPlan c : plan.containers()) {
                stopPrograms(c);
            }
        }
        if (topo != null) {
            topo.close();
        }
    }
}
