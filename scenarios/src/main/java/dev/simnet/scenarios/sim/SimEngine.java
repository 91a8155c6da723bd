package dev.simnet.scenarios.sim;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.capture.FrameTap;
import dev.simnet.capture.MergedPcapWriter;
import dev.simnet.capture.PcapBackend;
import dev.simnet.capture.PcapWriter;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.VethEnd;
import dev.simnet.dns.AuthoritativeServer;
import dev.simnet.dns.DnsHandler;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.EmbeddedDnsServer;
import dev.simnet.dns.Forwarder;
import dev.simnet.dns.topology.ContainerFiles;
import dev.simnet.dns.topology.PlanRecords;
import dev.simnet.dns.topology.SchedulerDnsTimer;
import dev.simnet.host.HostStack;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.link.Netem;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.netfilter.docker.DockerRules;
import dev.simnet.netfilter.render.IptablesSave;
import dev.simnet.ns.Namespace;
import dev.simnet.ns.render.IpRender;
import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.Impairment;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.sim.apps.HttpServerApp;
import dev.simnet.scenarios.sim.apps.ImageApps;
import dev.simnet.scenarios.sim.apps.PortProxy;
import dev.simnet.scenarios.sim.tools.Tool;
import dev.simnet.scenarios.sim.tools.ToolContext;
import dev.simnet.scenarios.sim.tools.Tools;
import dev.simnet.sched.RandomStreams;
import dev.simnet.sim.Simulation;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulator backend of {@link ScenarioEngine}: builds a {@link TopologyPlan} into a
 * {@link Simulation} — a "docker host" namespace with the bridges, host-side veths, ip_forward and
 * Docker's rule set; one namespace per namespace-owning container with its endpoints, default route,
 * embedded DNS (DNAT/SNAT from 127.0.0.11:53 to the resolver's random ports) and image model; an
 * "internet" namespace on the host's uplink (RFC 5737 ranges, {@link InternetPlan}) with an
 * authoritative DNS server and a web server — and runs commands in virtual time with real packets.
 */
public final class SimEngine implements ScenarioEngine, dev.simnet.scenarios.sim.tools.ToolHost {
    /** Name of the Docker host namespace. */
    public static final String HOST_NS = "docker-host";
    /** Name of the internet namespace. */
    public static final String INTERNET_NS = "internet";
    /** The web server's extra address on the uplink network (examples use it). */
    public static final Ipv4Address UPLINK_WEB = Ipv4Address.parse("203.0.113.80");
    /** The DNS server's extra address on the uplink network. */
    public static final Ipv4Address UPLINK_DNS = Ipv4Address.parse("203.0.113.53");
    /** The example.com address served by the internet's DNS. */
    public static final Ipv4Address EXAMPLE_COM = Ipv4Address.parse("198.51.100.10");
    /** Longest virtual time one command may run. */
    public static final long EXEC_LIMIT_NANOS = 900_000_000_000L;
    /** Virtual time let pass after build (containers' gratuitous ARPs, 3 × 1 s). */
    public static final long SETTLE_NANOS = 3_000_000_000L;
    /** Virtual wall clock at time 0: 2026-01-01T00:00:00Z. */
    public static final long EPOCH_SECONDS = 1767225600L;

    private final long seed;
    private Simulation sim;
    private TopologyPlan plan;
    private Node hostNode;
    private Node internetNode;
    private final Map<String, Node> nodesByNs = new LinkedHashMap<>();
    private final Map<String, Node> nodeByContainer = new LinkedHashMap<>();
    private final Map<String, BridgeDevice> bridges = new LinkedHashMap<>();
    private final Map<String, List<Runnable>> appClosers = new LinkedHashMap<>();
    private final Map<String, List<PortProxy>> proxies = new LinkedHashMap<>();
    private final Map<String, EmbeddedDnsServer> resolvers = new LinkedHashMap<>();
    private final Map<String, Integer> pids = new LinkedHashMap<>();
    private final Map<String, Boolean> running = new LinkedHashMap<>();
    private DnsRecords records;
    private Path captureDir;
    private long crossingDelayNs = DEFAULT_CROSSING_DELAY_NS;
    private MergedPcapWriter merged;
    private final Map<String, PcapWriter> perInterface = new TreeMap<>();
    private int nextPid = 4000;
    private int execCount;
    private Consumer<String> trace;
    private final Map<String, Tool> tools = Tools.registry();

    /**
     * The default virtual time a frame takes to cross a veth pair (or loopback) into its receiver:
     * 10 µs, so an unimpaired ping between two containers on one bridge (four crossings per round
     * trip) shows {@code time=0.040 ms} — a real veth+bridge round trip on an idle machine is some
     * tens of microseconds. An approximation: fixed, independent of frame size and load.
     */
    public static final long DEFAULT_CROSSING_DELAY_NS = 10_000;

    /**
     * Sets the per-crossing delay ({@link #DEFAULT_CROSSING_DELAY_NS} by default; 0 makes veth and
     * loopback instantaneous). Applies to topologies built afterwards.
     */
    public void setCrossingDelayNs(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative crossing delay " + ns);
        }
        this.crossingDelayNs = ns;
    }

    /** An engine whose randomness derives from {@code seed}. */
    public SimEngine(long seed) {
        this.seed = seed;
    }

    /** The simulation (after {@link #build}). */
    public Simulation simulation() {
        return sim;
    }

    @Override
    public dev.simnet.sched.Scheduler scheduler() {
        return sim.scheduler();
    }

    /** The plan as currently realised. */
    public TopologyPlan plan() {
        return plan;
    }

    /** The node of the Docker host. */
    public Node hostNode() {
        return hostNode;
    }

    /** The node of the internet. */
    public Node internetNode() {
        return internetNode;
    }

    /** Every node by namespace name, host first. */
    public Map<String, Node> nodes() {
        return nodesByNs;
    }

    /** The node a container runs in. */
    public Optional<Node> nodeOf(String container) {
        return Optional.ofNullable(nodeByContainer.get(container));
    }

    /** The current trace consumer, or null when not tracing. */
    public Consumer<String> tracer() {
        return trace;
    }

    // ------------------------------------------------------------------------------------------ build

    @Override
    public void build(TopologyPlan p) {
        this.plan = p;
        this.sim = new Simulation(seed);
        sim.backlog().setDelayNs(crossingDelayNs);
        if (captureDir != null) {
            startCapture();
        }
        Namespace host = sim.namespace(HOST_NS);
        host.setIpForward(true);
        hostNode = node(Node.Kind.HOST, host, true);
        hostNode.netfilter.load(DockerRules.hostRules(p));
        Node.initDockerHost(hostNode, p.hostUpstreams());

        // container namespaces first (as dockerd creates sandboxes), so the host numbers them
        // 0, 1, … in its netnsid space (lsns NETNSID) before the simulated internet gets an id
        for (ContainerPlan c : p.containers()) {
            if (c.ownsNamespace() && !c.networkMode().equals("host")) {
                host.netnsId(sim.namespace(c.name()));
            }
        }
        buildInternet(p);
        for (NetworkPlan n : p.networks()) {
            BridgeDevice br = sim.bridge(host, n.bridgeName(), n.bridgeMac().bits());
            sim.addAddress(host, n.bridgeName(), n.gateway().toString() + "/" + n.subnet().prefixLength());
            sim.setUp(host, n.bridgeName());
            bridges.put(n.name(), br);
            if (!p.userlandProxy()) {
                host.setRouteLocalnet(n.bridgeName(), true);
            }
            if (!p.userlandProxy() || !n.icc()) {
                // Docker loads br_netfilter only where it needs iptables to see bridged traffic
                br.setBridgeNetfilter(hostNode.netfilter);
            }
        }
        records = PlanRecords.build(p);
        for (ContainerPlan c : p.containers()) {
            createContainer(c);
        }
        for (ContainerPlan c : p.containers()) {
            startApps(c);
        }
        sim.runFor(SETTLE_NANOS);
    }

    private Node node(Node.Kind kind, Namespace ns, boolean withFilter) {
        ns.setIpv6(true); // as in the kernel backends: lo shows ::1
        HostStack stack = new HostStack(ns.name(), sim.scheduler(), ns, sim.pool(), sim.streams().stream("host/" + ns.name()),
                a -> ns.isLocalAddress(a) || (a >>> 24) == 127);
        ns.setTransportReceiver(stack);
        Netfilter nf = null;
        if (withFilter) {
            nf = Netfilter.create(ns, sim.streams(), ns.name());
            ns.setPacketFilter(nf);
        }
        Node n = new Node(kind, ns, stack, nf);
        nodesByNs.put(ns.name(), n);
        return n;
    }

    private void buildInternet(TopologyPlan p) {
        Namespace inet = sim.namespace(INTERNET_NS);
        Namespace host = hostNode.ns;
        sim.vethPairNetns(host, InternetPlan.HOST_UPLINK_IFNAME, sim.randomMac(), inet, InternetPlan.ROUTER_UPLINK_IFNAME,
                sim.randomMac(), 1500);
        int plen = InternetPlan.UPLINK_NETWORK.prefixLength();
        sim.addAddress(host, InternetPlan.HOST_UPLINK_IFNAME, InternetPlan.HOST_PUBLIC_ADDRESS.toString() + "/" + plen);
        sim.addAddress(inet, InternetPlan.ROUTER_UPLINK_IFNAME, InternetPlan.ROUTER_ADDRESS.toString() + "/" + plen);
        sim.addAddress(inet, InternetPlan.ROUTER_UPLINK_IFNAME, UPLINK_DNS.toString() + "/" + plen);
        sim.addAddress(inet, InternetPlan.ROUTER_UPLINK_IFNAME, UPLINK_WEB.toString() + "/" + plen);
        // as the Linux backend: the services /24 on lo (every address in it local), .53 and .80 on the uplink
        List<String> loAddrs = new ArrayList<>();
        for (Ipv4Address a : List.of(InternetPlan.UPSTREAM_DNS, InternetPlan.WEB_SERVER)) {
            if (!InternetPlan.UPLINK_NETWORK.contains(a) && !InternetPlan.SERVICES_NETWORK.contains(a)) {
                loAddrs.add(a.toString());
            }
        }
        sim.addAddress(inet, "lo", InternetPlan.SERVICES_BASE_ADDRESS + "/" + InternetPlan.SERVICES_NETWORK.prefixLength());
        for (String u : p.hostUpstreams()) {
            try {
                Ipv4Address a = Ipv4Address.parse(u);
                if (!InternetPlan.UPLINK_NETWORK.contains(a) && !InternetPlan.SERVICES_NETWORK.contains(a) && !loAddrs.contains(a.toString())) {
                    loAddrs.add(a.toString());
                }
            } catch (IllegalArgumentException e) {
                // not an IPv4 address: unreachable upstream
            }
        }
        for (String a : loAddrs) {
            sim.addAddress(inet, "lo", a + "/32");
        }
        sim.setUp(host, InternetPlan.HOST_UPLINK_IFNAME);
        sim.setUp(inet, InternetPlan.ROUTER_UPLINK_IFNAME);
        sim.addRoute(host, "default", InternetPlan.ROUTER_ADDRESS.toString());
        internetNode = node(Node.Kind.INTERNET, inet, false);
        internetNode.hostname = "internet";
        internetNode.files.put("/etc/hostname", "internet\n");
        internetNode.files.put("/etc/hosts", "127.0.0.1\tlocalhost\n");
        internetNode.files.put("/etc/resolv.conf", "nameserver 127.0.0.1\n");
        String zone = InternetPlan.UPSTREAM_ZONE;
        AuthoritativeServer auth = new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse(".", zone)));
        // one socket pair per service address, as named binds each interface address: answers leave from
        // the address the query was sent to
        List<String> dnsAddrs = new ArrayList<>(new java.util.LinkedHashSet<>(List.of(UPLINK_DNS.toString(), InternetPlan.UPSTREAM_DNS.toString())));
        for (String u : p.hostUpstreams()) {
            if (!dnsAddrs.contains(u) && loAddrs.contains(u)) {
                dnsAddrs.add(u);
            }
        }
        for (String a : dnsAddrs) {
            new DnsService(internetNode.stack, Ipv4Address.parse(a).bits(), 53, 53, AuthoritativeServer.asRecursive(auth), "internet");
        }
        int pid = nextPid++;
        internetNode.procs.add(new Node.Proc(pid, null, "named"));
        int wpid = nextPid++;
        internetNode.procs.add(new Node.Proc(wpid, null, "httpd"));
        new HttpServerApp(internetNode.stack, 0, List.of(80), "httpd", wpid,
                (req, s) -> ImageApps.internetWeb(req, s, this::epochSeconds));
    }

    /** The virtual wall clock in Unix seconds. */
    public long epochSeconds() {
        return EPOCH_SECONDS + sim.now() / 1_000_000_000L;
    }

    private Node containerNode(ContainerPlan c) {
        if (c.networkMode().equals("host")) {
            return hostNode;
        }
        if (!c.ownsNamespace()) {
            return nodeByContainer.get(c.netns());
        }
        return nodesByNs.get(c.name());
    }

    private void createContainer(ContainerPlan c) {
        running.put(c.name(), true);
        if (c.networkMode().equals("host")) {
            nodeByContainer.put(c.name(), hostNode);
            return;
        }
        if (!c.ownsNamespace()) {
            Node owner = nodeByContainer.get(c.netns());
            if (owner != null) {
                nodeByContainer.put(c.name(), owner);
            }
            return;
        }
        Namespace ns = sim.namespaces().stream().filter(x -> x.name().equals(c.name())).findFirst()
                .orElseGet(() -> sim.namespace(c.name()));
        boolean dns = ContainerFiles.usesEmbeddedDns(c, plan);
        Node n = node(Node.Kind.CONTAINER, ns, dns);
        n.hostname = c.hostname();
        nodeByContainer.put(c.name(), n);
        for (EndpointPlan ep : c.endpoints()) {
            attach(n, c, ep);
        }
        setDefaultRoute(n, c);
        refreshFiles(n, c);
        if (dns) {
            startResolver(n, c);
        }
    }

    private void attach(Node n, ContainerPlan c, EndpointPlan ep) {
        Namespace ns = n.ns;
        Namespace host = hostNode.ns;
        if (!hasDevice(ns, ep.ifname())) {
            VethEnd[] pair = sim.vethPair(host, ep.hostVeth(), sim.randomMac(), ns, ep.ifname(), ep.mac().bits(), 1500);
            // moby creates its veths with TxQLen 0: ip link prints no qlen for either end
            pair[0].setTxQueueLen(0);
            pair[1].setTxQueueLen(0);
            BridgeDevice br = bridges.get(ep.network());
            if (br != null) {
                sim.enslave(br, ep.hostVeth());
            }
        } else {
            // a restarted container gets a new endpoint: the daemon's new MAC on the kept interface
            ns.device(ep.ifname()).setMac(ep.mac().bits());
        }
        sim.addAddress(ns, ep.ifname(), ep.address().toString() + "/" + ep.prefixLength());
        String peer = hostPeer(n, ep.ifname());
        if (peer != null) {
            sim.setUp(host, peer);
        }
        sim.setUp(ns, ep.ifname());
        ns.announce(ep.ifname(), 3, 1_000_000_000L);
    }

    /** The host-side name of a container interface's veth peer (kept across restarts: no device is deleted). */
    private static String hostPeer(Node n, String ifname) {
        if (hasDevice(n.ns, ifname) && n.ns.device(ifname) instanceof dev.simnet.device.VethEnd v && v.peer() != null) {
            return v.peer().name();
        }
        return null;
    }

    private static boolean hasDevice(Namespace ns, String name) {
        for (AbstractDevice d : ns.devices()) {
            if (d.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private void setDefaultRoute(Node n, ContainerPlan c) {
        for (EndpointPlan ep : c.endpoints()) {
            NetworkPlan net = plan.network(ep.network()).orElse(null);
            if (net != null && !net.internal()) {
                try {
                    n.ns.addRoute(Ipv4Cidr.parse("0.0.0.0/0"), net.gateway(), ep.ifname());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // a default route already exists
                }
                return;
            }
        }
    }

    private void refreshFiles(Node n, ContainerPlan c) {
        n.files.put("/etc/resolv.conf", ContainerFiles.resolvConf(c, plan, null));
        n.files.put("/etc/hosts", ContainerFiles.hosts(c, plan));
        n.files.put("/etc/hostname", c.hostname() + "\n");
    }

    private void startResolver(Node n, ContainerPlan c) {
        Forwarder fwd = new Forwarder(new SimDnsTransport(n.stack), new SchedulerDnsTimer(sim.scheduler()));
        EmbeddedDnsServer server = new EmbeddedDnsServer(records, fwd, sim.streams().stream("dns/shuffle/" + c.name()));
        resolvers.put(c.name(), server);
        DnsHandler handler = (q, off, len, asker, proto, max, sink) -> {
            Consumer<String> t = trace;
            if (t != null) {
                t.accept(stamp() + "[" + n.ns.name() + "] dns: embedded resolver got " + DnsText.describe(q, off, len)
                        + " over " + proto);
            }
            server.handle(q, off, len, asker, proto, max, reply -> {
                Consumer<String> t2 = trace;
                if (t2 != null) {
                    t2.accept(stamp() + "[" + n.ns.name() + "] dns: embedded resolver answers " + DnsText.describe(reply, 0, reply.length));
                }
                sink.reply(reply);
            });
        };
        DnsService svc = new DnsService(n.stack, DockerRules.RESOLVER.bits(), 0, 0, handler, PlanRecords.askerFor(c));
        n.netfilter.load(DockerRules.containerDnsRules(svc.udpPort(), svc.tcpPort()));
    }

    private int pid(String container) {
        return pids.computeIfAbsent(container, k -> nextPid += 37);
    }

    @SuppressWarnings("unchecked")
    private void startApps(ContainerPlan c) {
        Node n = containerNode(c);
        if (n == null) {
            return;
        }
        String model = String.valueOf(c.extensions().getOrDefault("model", "tcp"));
        List<String> listen = (List<String>) c.extensions().getOrDefault("listen", List.of());
        List<ImageApps.Listen> ls = new ArrayList<>();
        for (String s : listen) {
            ImageApps.Listen l = ImageApps.Listen.parse(s);
            if (l != null) {
                ls.add(l);
            }
        }
        int pid = pid(c.name());
        String title = processTitle(c, model);
        n.procs.add(new Node.Proc(pid, c.name(), title));
        n.stack.setArgv0(pid, argv0(model, title));
        List<Runnable> closers = new ArrayList<>();
        // sockets carry the host PID; ss/netstat translate it to the PID namespace of whoever asks
        closers.add(ImageApps.start(n.stack, model, ls, pid, c.hostname(), () -> addresses(n), this::epochSeconds));
        appClosers.put(c.name(), closers);
        if (c.ownsNamespace() && !c.ports().isEmpty() && plan.userlandProxy()) {
            startProxies(c);
        }
    }

    private void startProxies(ContainerPlan c) {
        List<PortProxy> list = new ArrayList<>();
        EndpointPlan ep = null;
        for (EndpointPlan e : c.endpoints()) {
            if (plan.network(e.network()).map(x -> !x.internal()).orElse(false)) {
                ep = e;
                break;
            }
        }
        if (ep == null) {
            return;
        }
        for (PortPlan pp : c.ports()) {
            try {
                list.add(PortProxy.start(hostNode.stack, pp, ep.address().bits(),
                        pid("docker-proxy/" + c.name() + "/" + pp.hostPort() + (pp.protocol().equals("tcp") ? "" : "/" + pp.protocol()))));
            } catch (RuntimeException e) {
                // port already bound: Docker would have refused to start the container
            }
        }
        proxies.put(c.name(), list);
    }

    private static List<String> addresses(Node n) {
        List<String> out = new ArrayList<>();
        for (var a : n.ns.addresses()) {
            out.add(Ipv4Address.format(a.address()));
        }
        return out;
    }

    /**
     * The first string of the main process's {@code /proc/PID/cmdline}: nginx and redis write their title over
     * their arguments (one string with spaces), other programs keep {@code argv[0]}, the title's first word.
     */
    private static String argv0(String model, String title) {
        if (model.equals("nginx") || model.equals("redis")) {
            return title;
        }
        int sp = title.indexOf(' ');
        return sp < 0 ? title : title.substring(0, sp);
    }

    private static String processTitle(ContainerPlan c, String model) {
        if (model.equals("nginx")) {
            return "nginx: master process " + (c.command().isEmpty() ? "nginx -g daemon off;" : String.join(" ", c.command()));
        }
        if (!c.command().isEmpty()) {
            return String.join(" ", c.command());
        }
        switch (model) {
            case "httpd": return "httpd -DFOREGROUND";
            case "whoami": return "/whoami";
            case "redis": return "redis-server *:6379";
            case "postgres": return "postgres";
            case "mysql": return "mysqld";
            default: return c.image();
        }
    }

    // ------------------------------------------------------------------------------------------ exec

    @Override
    public ExecResult exec(ExecTarget target, List<String> argv) {
        if (sim == null) {
            throw new IllegalStateException("exec before build");
        }
        Node n;
        String where;
        switch (target.kind()) {
            case HOST: n = hostNode; where = "host"; break;
            case INTERNET: n = internetNode; where = "internet"; break;
            default:
                n = nodeByContainer.get(target.container());
                where = target.container();
                if (n == null || !running.getOrDefault(target.container(), false)) {
                    return ExecResult.fail(1, "Error response from daemon: container " + target.container() + " is not running\n");
                }
        }
        List<String> args = argv;
        if (args.size() >= 3 && (args.get(0).equals("sh") || args.get(0).equals("bash")) && args.get(1).equals("-c")) {
            args = Argv.split(args.get(2));
        }
        // a pipeline: the first command runs in the simulation, the rest filter its output
        Node node = n;
        String w = where;
        return TextFilters.pipeline(args, target.kind() == ExecTarget.Kind.CONTAINER, first -> runOne(target, node, w, first));
    }

    private ExecResult runOne(ExecTarget target, Node n, String where, List<String> argv) {
        return runOne(target, n, where, argv, null);
    }

    private ExecResult runOne(ExecTarget target, Node n, String where, List<String> argv, Map<String, String> filesOverride) {
        List<String> args = TextFilters.withoutSudo(argv);
        if (args.isEmpty()) {
            return ExecResult.fail(126, "");
        }
        if (args.get(0).equals("nsenter") && target.kind() == ExecTarget.Kind.HOST) {
            return nsenter(args);
        }
        String cmd = args.get(0);
        String base = cmd.substring(cmd.lastIndexOf('/') + 1);
        Tool tool = tools.get(base);
        if (base.equals("lsns")) {
            return lsns(args);
        }
        if (tool == null) {
            if (target.kind() != ExecTarget.Kind.CONTAINER) {
                return new ExecResult(127, "", "sh: 1: " + cmd + ": not found\n");
            }
            return new ExecResult(127, "", "OCI runtime exec failed: exec failed: unable to start container process: exec: \""
                    + cmd + "\": executable file not found in $PATH: unknown\n");
        }
        Map<String, String> files = new LinkedHashMap<>(filesOverride != null ? filesOverride : n.files);
        if (target.kind() == ExecTarget.Kind.CONTAINER && filesOverride == null) {
            plan.container(target.container()).ifPresent(c -> {
                if (c.extensions().get("files") instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> files.put(String.valueOf(k), String.valueOf(v)));
                }
                if (!c.ownsNamespace()) {
                    files.put("/etc/hostname", c.hostname() + "\n");
                }
            });
        }
        ToolContext ctx = new ToolContext(this, n, where, sim.streams().stream("exec/" + (++execCount)), files);
        ctx.setHostView(filesOverride != null);
        List<String> fargs = new ArrayList<>(args);
        fargs.set(0, base);
        sim.scheduler().scheduleIn(0, now -> Tools.launch(tool, ctx, fargs));
        long deadline = sim.now() + EXEC_LIMIT_NANOS;
        var sched = sim.scheduler();
        while (!ctx.done()) {
            long next = sched.nextEventTime();
            if (sched.pending() == 0 || next > deadline) {
                break;
            }
            try {
                sched.step();
            } catch (RuntimeException e) {
                // a program's callback failed: it dies, the simulation goes on
                ctx.err().append(base).append(": ").append(Tools.describe(e)).append('\n');
                ctx.exit(1);
            }
        }
        if (!ctx.done()) {
            ctx.err().append(base).append(": still running after ").append(EXEC_LIMIT_NANOS / 1_000_000_000L)
                    .append(" s of virtual time; stopped\n");
            ctx.exit(124);
        }
        return new ExecResult(ctx.exitCode(), ctx.out().toString(), ctx.err().toString());
    }

    /** dockerd's PID on the simulated host (owner of the embedded DNS sockets, seen from the host). */
    public static final int DOCKERD_PID = 812;

    /** The host PID of {@code container}'s main process, or 0 when it has none. */
    public int hostPid(String container) {
        return pids.getOrDefault(container, 0);
    }

    /** The host PID of the first process of the container whose namespace {@code n} is, or 0. */
    public int mainPid(Node n) {
        for (Node.Proc p : n.procs) {
            if (p.container() != null) {
                return p.pid();
            }
        }
        return 0;
    }

    /** The 12-hex sandbox key of a namespace-owning container, as {@code docker inspect} shows it. */
    private String sandboxKey(String container) {
        SplittableRandom r = new RandomStreams(plan.seed()).stream("docker/sandbox/" + container);
        return String.format(Locale.ROOT, "%016x", r.nextLong()).substring(0, 12);
    }

    /** {@code nsenter --net=/run/docker/netns/KEY CMD} or {@code nsenter -t PID -n CMD} on the host. */
    private ExecResult nsenter(List<String> args) {
        String net = null;
        String pid = null;
        int i = 1;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--net=")) {
                net = a.substring(6);
            } else if ((a.equals("--net") || a.equals("--net-ns")) && i + 1 < args.size()) {
                net = args.get(++i);
            } else if ((a.equals("-t") || a.equals("--target")) && i + 1 < args.size()) {
                pid = args.get(++i);
            } else if (a.equals("-n") || a.equals("--net")) {
                continue;
            } else if (a.equals("--")) {
                i++;
                break;
            } else if (!a.startsWith("-")) {
                break;
            }
        }
        Node target = null;
        String name = null;
        for (Map.Entry<String, Node> e : nodesByNs.entrySet()) {
            Node n = e.getValue();
            if (n.kind != Node.Kind.CONTAINER) {
                continue;
            }
            if (net != null && net.substring(net.lastIndexOf('/') + 1).equals(sandboxKey(n.ns.name()))) {
                target = n;
                name = n.ns.name();
            }
            if (pid != null) {
                for (Node.Proc p : n.procs) {
                    if (String.valueOf(p.pid()).equals(pid)) {
                        target = n;
                        name = n.ns.name();
                    }
                }
            }
        }
        if (net == null && pid == null) {
            return ExecResult.fail(1, "nsenter: neither filename nor target pid supplied for ns/net\n");
        }
        if (target == null) {
            return ExecResult.fail(1, net != null ? "nsenter: cannot open " + net + ": No such file or directory\n"
                    : "nsenter: cannot open /proc/" + pid + "/ns/net: No such file or directory\n");
        }
        List<String> rest = i < args.size() ? args.subList(i, args.size()) : List.of("sh");
        // only the network namespace changes: files are still the host's
        return runOne(ExecTarget.container(name), target, name, rest, hostNode.files);
    }

    private ExecResult lsns(List<String> argv) {
        List<IpRender.NsRow> rows = new ArrayList<>();
        for (Node n : nodesByNs.values()) {
            if (n.kind == Node.Kind.INTERNET) {
                continue;
            }
            if (n.kind == Node.Kind.HOST) {
                rows.add(new IpRender.NsRow(n.ns, 1 + n.procs.size(), 1, "root", null, "/sbin/init"));
                continue;
            }
            Node.Proc first = null;
            int procs = 0;
            for (Node.Proc p : n.procs) {
                if (p.container() != null && running.getOrDefault(p.container(), false)) {
                    if (first == null) {
                        first = p;
                    }
                    procs += p.command().startsWith("nginx") ? 3 : 1;
                }
            }
            if (first == null) {
                continue;
            }
            String sandbox = sandboxKey(n.ns.name());
            // the id the host gave the container's namespace when a veth end went there (link-netnsid)
            rows.add(new IpRender.NsRow(n.ns, procs, first.pid(), "root", "/run/docker/netns/" + sandbox, first.command(),
                    n.ns.devices().size() > 1 ? Integer.toString(hostNode.ns.netnsId(n.ns)) : "unassigned"));
        }
        return ExecResult.ok(IpRender.lsns(rows));
    }

    // ------------------------------------------------------------------------------------------ time

    @Override
    public void advance(long nanos) {
        sim.runFor(nanos);
    }

    @Override
    public long now() {
        return sim == null ? 0 : sim.now();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    private void replacePlan(ContainerPlan c) {
        plan = plan.withContainer(c);
        hostNode.netfilter.load(DockerRules.hostRules(plan));
    }

    @Override
    public void stop(ContainerPlan c) {
        List<Runnable> cl = appClosers.remove(c.name());
        if (cl != null) {
            cl.forEach(Runnable::run);
        }
        List<PortProxy> px = proxies.remove(c.name());
        if (px != null) {
            px.forEach(PortProxy::close);
        }
        running.put(c.name(), false);
        records.stop(c.name());
        List<EndpointPlan> had = endpointsOf(c.name());
        Node n = nodeByContainer.get(c.name());
        if (n != null) {
            n.procs.removeIf(p -> c.name().equals(p.container()));
            if (c.ownsNamespace() && n.kind == Node.Kind.CONTAINER) {
                // the processes exit (the kernel closes their connections: FIN, or RST with unread data),
                // then the sandbox is deleted and what is left of them goes with it
                for (var conn : n.stack.tcpConnections()) {
                    conn.close();
                }
                n.stack.destroyConnections();
                for (AbstractDevice d : n.ns.devices()) {
                    if (d.kind() != AbstractDevice.Kind.LOOPBACK) {
                        n.ns.setUp(d.name(), false);
                    }
                }
                for (EndpointPlan ep : had) {
                    String peer = hostPeer(n, ep.ifname());
                    if (peer != null) {
                        hostNode.ns.setUp(peer, false);
                    }
                }
            }
        }
        // Docker deletes the sandbox's endpoints and with them the port mappings' rules (the proxies went above)
        stoppedEndpoints.put(c.name(), had);
        replacePlan(c.withEndpoints(List.of()));
    }

    /** The endpoints each stopped container had, whose addresses {@link #start} takes off its interfaces. */
    private final Map<String, List<EndpointPlan>> stoppedEndpoints = new LinkedHashMap<>();

    private List<EndpointPlan> endpointsOf(String container) {
        return plan.container(container).map(ContainerPlan::endpoints).orElse(List.of());
    }

    @Override
    public void start(ContainerPlan c) {
        Node n = nodeByContainer.get(c.name());
        List<EndpointPlan> saved = stoppedEndpoints.remove(c.name());
        List<EndpointPlan> old = saved != null ? saved : endpointsOf(c.name());
        replacePlan(c);
        running.put(c.name(), true);
        if (n != null && c.ownsNamespace() && n.kind == Node.Kind.CONTAINER) {
            for (EndpointPlan ep : old) {
                for (var a : List.copyOf(n.ns.addresses())) {
                    if (a.address() == ep.address().bits()) {
                        n.ns.removeAddress(ep.ifname(), a.cidr());
                    }
                }
            }
            for (EndpointPlan ep : c.endpoints()) {
                attach(n, c, ep);
            }
            setDefaultRoute(n, c);
            refreshFiles(n, c);
        } else if (n == null) {
            createContainer(c);
        }
        records.start(PlanRecords.container(c));
        startApps(c);
    }

    @Override
    public void connect(ContainerPlan c, EndpointPlan ep) {
        replacePlan(c);
        Node n = nodeByContainer.get(c.name());
        if (n != null && n.kind == Node.Kind.CONTAINER) {
            attach(n, c, ep);
            setDefaultRoute(n, c);
            refreshFiles(n, c);
        }
        records.connect(c.name(), new dev.simnet.dns.DnsEndpoint(ep.network(), ep.address(), ep.aliases()));
    }

    @Override
    public void disconnect(ContainerPlan c, EndpointPlan ep) {
        Node n = nodeByContainer.get(c.name());
        if (n != null && n.kind == Node.Kind.CONTAINER && hasDevice(n.ns, ep.ifname())) {
            for (var a : List.copyOf(n.ns.addresses())) {
                if (a.address() == ep.address().bits()) {
                    n.ns.removeAddress(ep.ifname(), a.cidr());
                }
            }
            n.ns.setUp(ep.ifname(), false);
            String peer = hostPeer(n, ep.ifname());
            if (peer != null) {
                hostNode.ns.setUp(peer, false);
            }
        }
        records.disconnect(c.name(), ep.network());
        replacePlan(c);
        if (n != null) {
            refreshFiles(n, c);
        }
    }

    @Override
    public void impair(Impairment i) {
        Netem netem = i.toNetem();
        if (i.uplink()) {
            sim.setImpairment(hostNode.ns, InternetPlan.HOST_UPLINK_IFNAME, netem);
            sim.setImpairment(internetNode.ns, InternetPlan.ROUTER_UPLINK_IFNAME, netem);
            return;
        }
        List<ContainerPlan> cs = new ArrayList<>();
        for (ContainerPlan c : plan.containers()) {
            if (c.service().equals(i.service()) && (i.replica() <= 0 || c.replica() == Math.max(1, i.replica()))) {
                cs.add(c);
            }
        }
        if (cs.isEmpty()) {
            throw new IllegalArgumentException("impair: no container for service " + i.service());
        }
        ContainerPlan c = cs.get(0);
        Node n = nodeByContainer.get(c.name());
        ContainerPlan owner = c.ownsNamespace() ? c : plan.container(c.netns()).orElse(c);
        EndpointPlan ep = null;
        for (EndpointPlan e : owner.endpoints()) {
            if (i.network() == null || e.network().equals(i.network()) || e.network().equals(plan.project() + "_" + i.network())) {
                ep = e;
                break;
            }
        }
        if (ep == null || n == null) {
            throw new IllegalArgumentException("impair: " + i.link() + " has no such network endpoint");
        }
        sim.setImpairment(n.ns, ep.ifname(), netem);
        sim.setImpairment(hostNode.ns, ep.hostVeth(), netem);
    }

    // ------------------------------------------------------------------------------------------ capture & trace

    @Override
    public void capture(Path dir) {
        this.captureDir = dir;
        if (sim != null) {
            startCapture();
        }
    }

    private void startCapture() {
        try {
            Files.createDirectories(captureDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + captureDir + ": " + e.getMessage());
        }
        long epochNs = EPOCH_SECONDS * 1_000_000_000L;
        merged = new MergedPcapWriter(captureDir.resolve("simnet-all.pcap"), epochNs, PcapBackend.AUTO);
        sim.tap(merged);
        sim.tap((t, ns, ifname, ifindex, dir, data, off, len) -> {
            String key = ns + "_" + ifname;
            PcapWriter w = perInterface.get(key);
            if (w == null) {
                w = new PcapWriter(captureDir.resolve(key.replaceAll("[^A-Za-z0-9_.-]", "_") + ".pcap"), epochNs,
                        PcapBackend.AUTO);
                perInterface.put(key, w);
            }
            w.write(t, data, off, len); // both directions, as tcpdump -i IFNAME shows them
        });
    }

    private String stamp() {
        long now = sim.now();
        return String.format(Locale.ROOT, "%4d.%06d ", now / 1_000_000_000L, (now / 1000) % 1_000_000L);
    }

    @Override
    public ExecResult trace(ExecTarget target, List<String> argv, Consumer<String> hop) {
        Map<String, String> before = new LinkedHashMap<>();
        for (Node n : nodesByNs.values()) {
            if (n.netfilter != null) {
                before.put(n.ns.name(), n.netfilter.conntrack().list(sim.now()));
            }
        }
        this.trace = hop;
        sim.setTrace((now, ns, component, message) -> {
            // accepted hook traversals are implied by the frames and by the rules listed; show only verdicts that stop a packet
            if (!(component.equals("hook") && message.endsWith(": ACCEPT"))) {
                hop.accept(stamp() + "[" + ns + "] " + component + ": " + message);
            }
        });
        FrameTap tap = (t, ns, ifname, ifindex, dir, data, off, len) -> {
            if (trace != null && dir == FrameTap.Direction.OUT && !ifname.equals("lo")) {
                String f;
                try {
                    f = dev.simnet.wire.PacketFormatter.format(data, off, len);
                } catch (RuntimeException e) {
                    f = len + " bytes";
                }
                hop.accept(stamp() + "[" + ns + "] " + ifname + " > " + f);
            }
        };
        sim.tap(tap);
        for (Node n : nodesByNs.values()) {
            if (n.netfilter != null) {
                String nsName = n.ns.name();
                n.netfilter.setRuleObserver((now, hook, table, chain, rule) -> {
                    if (rule == null) {
                        if (chain.policy() instanceof dev.simnet.netfilter.Target.Drop) {
                            hop.accept(stamp() + "[" + nsName + "] netfilter " + table.tableName() + " " + hook
                                    + ": chain " + chain.name() + " policy DROP");
                        }
                        return;
                    }
                    hop.accept(stamp() + "[" + nsName + "] netfilter " + table.tableName() + " " + hook + ": "
                            + "-A " + chain.name() + " " + IptablesSave.ruleSpec(rule));
                });
            }
        }
        ExecResult r;
        try {
            r = exec(target, argv);
        } finally {
            this.trace = null;
            sim.setTrace(null);
            for (Node n : nodesByNs.values()) {
                if (n.netfilter != null) {
                    n.netfilter.setRuleObserver(null);
                }
            }
        }
        for (Node n : nodesByNs.values()) {
            if (n.netfilter == null) {
                continue;
            }
            java.util.Set<String> prev = new java.util.HashSet<>();
            for (String line : before.getOrDefault(n.ns.name(), "").split("\n")) {
                prev.add(flowKey(line));
            }
            for (String line : n.netfilter.conntrack().list(sim.now()).split("\n")) {
                if (!line.isBlank() && !prev.contains(flowKey(line))) {
                    hop.accept("conntrack [" + n.ns.name() + "] " + line);
                }
            }
        }
        return r;
    }

    /** A conntrack line without its remaining timeout and state, to recognise the same flow later. */
    private static String flowKey(String line) {
        int src = line.indexOf("src=");
        return src < 0 ? line : line.substring(0, Math.min(line.length(), 8)).trim() + " " + line.substring(src).replaceAll("\\[[A-Z]+\\] ", "");
    }

    @Override
    public void close() {
        if (merged != null) {
            merged.close();
            merged = null;
        }
        for (PcapWriter w : perInterface.values()) {
            w.close();
        }
        perInterface.clear();
    }
}
