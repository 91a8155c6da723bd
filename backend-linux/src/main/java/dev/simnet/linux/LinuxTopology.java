package dev.simnet.linux;

import dev.simnet.linux.netlink.RtnlSocket;
import dev.simnet.linux.netlink.RtnlSocket.VethEnd;
import dev.simnet.dns.AuthoritativeServer;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.EmbeddedDnsServer;
import dev.simnet.dns.Forwarder;
import dev.simnet.dns.net.SocketDnsServer;
import dev.simnet.dns.net.SocketUpstreamTransport;
import dev.simnet.dns.net.WallClockTimer;
import dev.simnet.dns.topology.ContainerFiles;
import dev.simnet.dns.topology.PlanRecords;
import dev.simnet.linux.serve.MiniHttpServer;
import dev.simnet.linux.serve.PortProxy;
import dev.simnet.linux.serve.TcpProxy;
import dev.simnet.netfilter.docker.DockerRules;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.render.IptablesSave;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One run of a {@link TopologyPlan} on real kernel objects:
 *
 * <pre>
 *  sn-ID-inet  [eth0 203.0.113.254, .53 DNS, .80 HTTP] lo 198.51.100.1/24
 *                   | veth
 *  sn-ID-host  [eth0 203.0.113.1]  ip_forward=1   docker0 / br-…  (gateway addresses, plan MACs)
 *                                                   |  vethXXXXXXX (enslaved, as the plan names them)
 *  sn-ID-c-NAME                                    [eth0 … ethN]  address, MAC, MTU 1500, default via gw
 * </pre>
 *
 * Every namespace and {@code /etc/netns} directory is listed in the run's {@link RunState} before it
 * is created; {@link #close()} (also run by a shutdown hook, and on any failure during build)
 * removes them all. Links are configured over rtnetlink: one batched datagram per namespace.
 */
public final class LinuxTopology implements AutoCloseable {
    /** MTU Docker gives bridges and container interfaces. */
    public static final int MTU = 1500;

    private static final Set<LinuxTopology> LIVE = Collections.synchronizedSet(new LinkedHashSet<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<LinuxTopology> all;
            synchronized (LIVE) {
                all = new ArrayList<>(LIVE);
            }
            for (LinuxTopology t : all) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    System.err.println("simnet: cleanup of run " + t.runId() + " failed: " + e.getMessage());
                }
            }
        }, "simnet-linux-cleanup"));
    }

    /**
     * Build options.
     *
     * @param factoryThreads   threads creating namespaces in parallel
     * @param progress         called with {@code "run ID"} first, then after each build phase with its name
     *                         (null for none)
     * @param afterNamespace   called after each namespace is created, with the count so far (tests use it
     *                         to stop half-way); null for none
     * @param sweepFirst       run {@link LinuxBackend#sweepStale()} before building
     * @param dockerRules      load Docker's rule set ({@code DockerRules.hostRules}) into the host namespace
     * @param internetServices run the upstream DNS server (203.0.113.53) and an HTTP server (203.0.113.80)
     *                         in the internet namespace
     * @param embeddedDns      serve Docker's embedded DNS on real sockets in every container namespace on a
     *                         user network, with the 127.0.0.11:53 DNAT/SNAT rules
     * @param links            null for veth pairs and bridges, else what makes each container link (TAP)
     * @param vethQueues       TX/RX queues per veth end, 0 = the kernel's default (as Docker); see
     *                         {@link #withVethQueues(int)}
     */
    public record Options(int factoryThreads, java.util.function.Consumer<String> progress,
                          java.util.function.IntConsumer afterNamespace, boolean sweepFirst, boolean dockerRules,
                          boolean internetServices, boolean embeddedDns, LinkProvider links, int vethQueues) {
        /** Options with another datapath ({@code links}, null = veth pairs) and the kernel's own veth queue count. */
        public Options(int factoryThreads, java.util.function.Consumer<String> progress,
                       java.util.function.IntConsumer afterNamespace, boolean sweepFirst, boolean dockerRules,
                       boolean internetServices, boolean embeddedDns, LinkProvider links) {
            this(factoryThreads, progress, afterNamespace, sweepFirst, dockerRules, internetServices, embeddedDns, links, 0);
        }

        /** Options with the kernel's own datapath (veth pairs and bridges). */
        public Options(int factoryThreads, java.util.function.Consumer<String> progress,
                       java.util.function.IntConsumer afterNamespace, boolean sweepFirst, boolean dockerRules,
                       boolean internetServices, boolean embeddedDns) {
            this(factoryThreads, progress, afterNamespace, sweepFirst, dockerRules, internetServices, embeddedDns, null);
        }

        /**
         * These options with another datapath: {@code links} creates each container interface and the
         * internet uplink instead of veth pairs, and the Docker host namespace gets no bridges or links
         * (the TAP backend, whose host is simulated). Null restores the kernel datapath.
         */
        public Options withLinks(LinkProvider l) {
            return new Options(factoryThreads, progress, afterNamespace, sweepFirst, dockerRules, internetServices, embeddedDns, l, vethQueues);
        }

        /** Everything on: two creator threads, sweep first, rules, internet services, embedded DNS. */
        public static Options defaults() {
            return new Options(2, null, null, true, true, true, true);
        }

        /** Only the kernel objects (namespaces, links, addresses, routes, files): no rules, no servers, no sweep. */
        public static Options linksOnly() {
            return new Options(2, null, null, false, false, false, false);
        }

        /** These options with another progress callback. */
        public Options withProgress(java.util.function.Consumer<String> p) {
            return new Options(factoryThreads, p, afterNamespace, sweepFirst, dockerRules, internetServices, embeddedDns, links, vethQueues);
        }

        /** These options with another after-namespace callback. */
        public Options withAfterNamespace(java.util.function.IntConsumer a) {
            return new Options(factoryThreads, progress, a, sweepFirst, dockerRules, internetServices, embeddedDns, links, vethQueues);
        }

        /** These options with Docker's rules on or off. */
        public Options withDockerRules(boolean on) {
            return new Options(factoryThreads, progress, afterNamespace, sweepFirst, on, internetServices, embeddedDns, links, vethQueues);
        }

        /** These options with the internet servers on or off. */
        public Options withInternetServices(boolean on) {
            return new Options(factoryThreads, progress, afterNamespace, sweepFirst, dockerRules, on, embeddedDns, links, vethQueues);
        }

        /**
         * These options with {@code n} TX and RX queues on each veth end; 0 (the default) leaves it to the
         * kernel, which gives a veth one queue per possible CPU, as on a Docker host (Docker does not set
         * it). 1 skips the kernel's shrinking of the active queue count, which waits for an RCU grace
         * period under rtnl_lock for every end: faster to build, but {@code ip -d link} then shows
         * numtxqueues 1 where Docker's veths show the CPU count.
         */
        public Options withVethQueues(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("veth queues must be >= 0: " + n);
            }
            return new Options(factoryThreads, progress, afterNamespace, sweepFirst, dockerRules, internetServices, embeddedDns, links, n);
        }

        /** These options with the embedded DNS on or off. */
        public Options withEmbeddedDns(boolean on) {
            return new Options(factoryThreads, progress, afterNamespace, sweepFirst, dockerRules, internetServices, on, links, vethQueues);
        }
    }

    /**
     * Makes the links of a run whose datapath between namespaces is not the kernel's: the TAP backend
     * creates a TAP device inside the namespace (from a thread that entered it) and returns its ifindex;
     * this class then sets it up and gives it the plan's addresses and routes as it would a veth end.
     */
    public interface LinkProvider {
        /** Creates {@code container}'s interface for endpoint {@code e} inside {@code ns}; returns its ifindex there. */
        int containerLink(NetNamespace ns, ContainerPlan container, EndpointPlan e);

        /** Creates the internet namespace's uplink ({@link InternetPlan#ROUTER_UPLINK_IFNAME}); returns its ifindex. */
        int internetUplink(NetNamespace inet);
    }

    private final TopologyPlan plan;
    private final RunState state;
    private final Map<String, NetNamespace> namespaces = new LinkedHashMap<>();
    private final Map<String, String> nsOfContainer = new LinkedHashMap<>();
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> services = Collections.synchronizedList(new ArrayList<>());
    private final ArpAnnouncer announcer;
    private boolean closed;

    private LinuxTopology(TopologyPlan plan, RunState state) {
        // the host's upstream DNS is the internet namespace's server unless the plan names others
        this.plan = plan.hostUpstreams().isEmpty()
                ? new TopologyPlan(plan.project(), plan.networks(), plan.containers(), plan.userlandProxy(),
                        List.of(InternetPlan.UPSTREAM_DNS.toString()), plan.seed())
                : plan;
        this.state = state;
        this.announcer = new ArpAnnouncer(state.runId());
    }

    static LinuxTopology build(TopologyPlan plan, Options options) {
        RunState state = RunState.create();
        LinuxTopology t = new LinuxTopology(plan, state);
        LIVE.add(t);
        try {
            t.doBuild(options);
            java.util.function.Consumer<String> progress = options.progress() == null ? x -> { } : options.progress();
            if (options.dockerRules()) {
                // the rules themselves went in before the bridges came up (doBuild's "rules" phase)
                t.startPortProxies();
                progress.accept("proxies");
            }
            if (options.internetServices()) {
                t.startInternetServices();
                progress.accept("internet");
            }
            if (options.embeddedDns()) {
                t.startEmbeddedDns();
                progress.accept("dns");
            }
            return t;
        } catch (RuntimeException | Error e) {
            try {
                t.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The run id carried by every object name. */
    public String runId() {
        return state.runId();
    }

    /** The plan this run was built from. */
    public TopologyPlan plan() {
        return plan;
    }

    /** Name of the Docker host namespace ({@code sn-ID-host}). */
    public String hostNamespace() {
        return state.name("host");
    }

    /** Name of the internet namespace ({@code sn-ID-inet}). */
    public String internetNamespace() {
        return state.name("inet");
    }

    /** Every namespace of the run, host and internet first. */
    public List<String> namespaceNames() {
        return List.copyOf(namespaces.keySet());
    }

    /** Name of the namespace container {@code container} runs in (following shared namespaces). */
    public String namespaceOf(String container) {
        String n = nsOfContainer.get(container);
        if (n == null) {
            throw new IllegalArgumentException("no container '" + container + "' in this run");
        }
        return n;
    }

    /** The namespace object by namespace name. */
    public NetNamespace namespace(String nsName) {
        NetNamespace ns = namespaces.get(nsName);
        if (ns == null) {
            throw new IllegalArgumentException("no namespace '" + nsName + "' in this run");
        }
        return ns;
    }

    /** A thread inside {@code container}'s namespace, for Java code on real sockets. */
    public NetnsExecutor executor(String container) {
        return namespace(namespaceOf(container)).executor();
    }

    /**
     * A private directory ({@code rwx------}) of this run on its tmpfs ({@code STATEDIR/sn-RUNID-etc/NAME}),
     * created on first use, for sockets and files the run's programs share with this JVM; it goes away
     * with the run, also when the crash sweep removes a killed run. {@code name} is a plain file name
     * that does not start with {@code sn-} (those are the namespaces' {@code /etc/netns} directories).
     */
    public synchronized Path runDirectory(String name) {
        if (closed) {
            throw new IllegalStateException("run " + runId() + " is closed");
        }
        if (name.startsWith(RunState.PREFIX) || name.contains("/") || name.isEmpty() || name.startsWith(".")) {
            throw new IllegalArgumentException("bad run directory name '" + name + "'");
        }
        Path root = EtcNetns.filesRoot(state);
        if (!java.nio.file.Files.isDirectory(root)) {
            throw new IllegalStateException("run " + runId() + " has no files root " + root);
        }
        Path d = root.resolve(name);
        try {
            if (!java.nio.file.Files.isDirectory(d)) {
                java.nio.file.Files.createDirectory(d, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d, e);
        }
        return d;
    }

    /** Registers something to close (a server) before the namespaces go away. */
    public void addService(AutoCloseable service) {
        services.add(service);
    }

    private String containerNsName(String owner) {
        return state.name("c-" + owner);
    }

    private void doBuild(Options options) {
        java.util.function.Consumer<String> progress = options.progress() == null ? s -> { } : options.progress();
        progress.accept("run " + runId());
        // 1. namespaces: listed first, then created in parallel
        Map<String, ContainerPlan> owners = new LinkedHashMap<>();
        for (ContainerPlan c : plan.containers()) {
            if (c.networkMode().equals("host")) {
                continue;
            }
            if (c.ownsNamespace()) {
                owners.put(c.name(), c);
            }
        }
        for (ContainerPlan c : plan.containers()) {
            if (c.networkMode().equals("host")) {
                nsOfContainer.put(c.name(), hostNamespace());
            } else if (owners.containsKey(c.netns())) {
                nsOfContainer.put(c.name(), containerNsName(c.netns()));
            } else {
                throw new IllegalArgumentException("container " + c.name() + " joins the namespace of '" + c.netns()
                        + "', which is not a container of this plan");
            }
        }
        List<String> names = new ArrayList<>();
        names.add(hostNamespace());
        names.add(internetNamespace());
        owners.keySet().forEach(o -> names.add(containerNsName(o)));
        for (String n : names) {
            NetNamespace.checkName(n);
            state.recordNetns(n);
        }
        progress.accept("recorded");
        Map<String, String> common = Map.of("net.ipv6.conf.default.disable_ipv6", "1");
        Map<String, String> router = new LinkedHashMap<>(common);
        router.put("net.ipv4.ip_forward", "1");
        // br_netfilter is built into many kernels and on (1) in every new namespace; Docker 29 turns bridged
        // traffic through iptables on only where it needs it: userland-proxy=false or a network with icc=false
        boolean brnf = !plan.userlandProxy() || plan.networks().stream().anyMatch(n -> !n.icc());
        if (java.nio.file.Files.exists(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"))) {
            router.put("net.bridge.bridge-nf-call-iptables", brnf ? "1" : "0");
        }
        try (NamespaceFactory factory = new NamespaceFactory(Math.max(1, options.factoryThreads()))) {
            List<Future<NetNamespace>> futures = new ArrayList<>();
            for (String n : names) {
                futures.add(factory.createAsync(n, n.equals(hostNamespace()) ? router : common));
            }
            CompletableFuture<Void> etcFiles = null;
            try {
                // the pipeline: files while the first namespaces are made, then each container wired as soon as
                // its namespace exists, in batches
                // files are disk work: done by their own thread while this one wires links
                etcFiles = CompletableFuture.runAsync(() -> writeEtcFiles(owners), r -> {
                    Thread t = new Thread(r, "simnet-etc-" + runId());
                    t.setDaemon(true);
                    t.start();
                });
                NetNamespace host = take(names, futures, 0, options);
                NetNamespace inet = take(names, futures, 1, options);
                progress.accept("first-namespaces");
                if (options.dockerRules()) {
                    // as on a Docker host, whose rules (and so connection tracking) exist before a network's
                    // bridge comes up: the IGMP reports the new bridges send are tracked from the first one
                    loadHostRules();
                    progress.accept("rules");
                }
                links = options.links();
                host.rtnl().vethQueues(options.vethQueues());
                bridgeIndex.putAll(configureHost(host, inet));
                if (!plan.userlandProxy() && links == null) {
                    // Docker without the proxy: route_localnet on each bridge, so 127.0.0.1:PORT DNATed in OUTPUT can leave
                    routeLocalnet(host);
                }
                progress.accept("host");
                List<ContainerPlan> ownerList = new ArrayList<>(owners.values());
                List<ContainerPlan> batch = new ArrayList<>();
                Map<String, int[]> endpointIndex = new LinkedHashMap<>();
                for (int i = 0; i < ownerList.size(); i++) {
                    ContainerPlan c = ownerList.get(i);
                    NetNamespace cns = take(names, futures, i + 2, options);
                    endpointIndex.put(c.name(), queueEndpoints(host, cns, c, bridgeIndex));
                    batch.add(c);
                    if (batch.size() >= CONTAINER_BATCH || i == ownerList.size() - 1) {
                        long t0 = System.nanoTime();
                        host.rtnl().flush();
                        long t1 = System.nanoTime();
                        for (ContainerPlan b : batch) {
                            configureContainer(namespace(containerNsName(b.name())), b, endpointIndex.get(b.name()));
                        }
                        statHost += t1 - t0;
                        statCtr += System.nanoTime() - t1;
                        batch.clear();
                    }
                }
                progress.accept("containers");
                if (links == null) {
                    statForwarding = awaitForwarding(host, hostVethIndex.values());
                    for (int br : bridgeIndex.values()) {
                        host.rtnl().syncLink(br);
                    }
                    progress.accept("forwarding");
                }
                try {
                    etcFiles.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : e;
                }
                progress.accept("etc");
            } finally {
                if (etcFiles != null) {
                    try {
                        etcFiles.join(); // never leave the writer running while close() cleans up
                    } catch (RuntimeException ignored) {
                        // reported above when it matters
                    }
                }
                // whatever happened, every namespace that was made is registered so close() releases it
                for (int i = 0; i < futures.size(); i++) {
                    if (!namespaces.containsKey(names.get(i))) {
                        try {
                            namespaces.put(names.get(i), NamespaceFactory.await(futures.get(i)));
                        } catch (RuntimeException ignored) {
                            // its creation failed and was undone by the factory; the first failure is reported
                        }
                    }
                }
            }
        }
    }

    /** The Docker host's own resolv.conf: its upstream servers. */
    public String hostResolvConf() {
        StringBuilder sb = new StringBuilder();
        for (String u : plan.hostUpstreams()) {
            sb.append("nameserver ").append(u).append('\n');
        }
        return sb.toString();
    }

    /** Longest wait for new bridge ports to forward (the kernel's linkwatch work takes well under a millisecond). */
    private static final long FORWARDING_WAIT_NANOS = 2_000_000_000L;

    /**
     * Waits until each of {@code ports} (host ends of our veths) forwards on its bridge, at most
     * {@link #FORWARDING_WAIT_NANOS}, and returns the nanoseconds waited. A port follows its carrier only
     * when the kernel's linkwatch work has run; until then the bridge drops what the container sends, so
     * a step's first packet right after the build or a {@code connect} could be lost (an ARP retried a
     * second later, a ping {@code -c 1} failed). Docker returns with the port in the same state a moment
     * later; waiting for it here keeps runs repeatable. The callers then sync each bridge
     * ({@link dev.simnet.linux.netlink.RtnlSocket#syncLink}), whose own carrier change linkwatch may hold
     * back for up to a second.
     */
    private static long awaitForwarding(NetNamespace host, java.util.Collection<Integer> ports) {
        long t0 = System.nanoTime();
        if (ports.isEmpty()) {
            return 0;
        }
        Integer forwarding = dev.simnet.linux.netlink.Rtnl.BR_STATE_FORWARDING;
        while (true) {
            Map<Integer, Integer> states = host.rtnl().bridgePortStates();
            boolean all = true;
            for (Integer p : ports) {
                all &= forwarding.equals(states.get(p));
            }
            long waited = System.nanoTime() - t0;
            if (all || waited > FORWARDING_WAIT_NANOS) {
                return waited;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return waited;
            }
        }
    }

    /** moby's bridge driver creates each veth pair with {@code TxQLen: 0} (no {@code qlen} in {@code ip link}). */
    static final int DOCKER_VETH_TXQLEN = 0;

    /** Containers wired per host-side netlink flush. */
    private static final int CONTAINER_BATCH = 16;

    /** Where a build spent its wall time (nanoseconds), for benchmarks. */
    public record BuildStats(long waitingForNamespaces, long hostFlushes, long containerFlushes, long waitingForPorts) {
    }

    private long statWait;
    private long statHost;
    private long statCtr;
    private long statForwarding;

    /**
     * Wall time the build spent waiting for namespaces, in host-side and in container-side netlink batches,
     * and waiting for the bridge ports to forward.
     */
    public BuildStats buildStats() {
        return new BuildStats(statWait, statHost, statCtr, statForwarding);
    }

    private NetNamespace take(List<String> names, List<Future<NetNamespace>> futures, int i, Options options) {
        long t0 = System.nanoTime();
        NetNamespace ns = NamespaceFactory.await(futures.get(i));
        statWait += System.nanoTime() - t0;
        namespaces.put(names.get(i), ns);
        if (options.afterNamespace() != null) {
            options.afterNamespace().accept(namespaces.size());
        }
        return ns;
    }

    private void writeEtcFiles(Map<String, ContainerPlan> owners) {
        try {
            Path root = EtcNetns.filesRoot(state);
            state.recordMount(root);
            EtcNetns.mountFilesRoot(root);
            String hostNs = hostNamespace();
            String hostResolv = hostResolvConf();
            state.recordEtcDir(EtcNetns.dir(hostNs));
            EtcNetns.publish(root, hostNs, Map.of("resolv.conf", hostResolv), true);
            for (ContainerPlan c : owners.values()) {
                String ns = containerNsName(c.name());
                state.recordEtcDir(EtcNetns.dir(ns));
                Map<String, String> files = new LinkedHashMap<>();
                files.put("resolv.conf", ContainerFiles.resolvConf(c, plan, hostResolv));
                files.put("hosts", ContainerFiles.hosts(c, plan));
                EtcNetns.publish(root, ns, files, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write /etc/netns files", e);
        }
    }

    private void routeLocalnet(NetNamespace host) {
        host.executor().call(() -> {
            for (NetworkPlan n : plan.networks()) {
                java.nio.file.Files.writeString(Path.of("/proc/sys/net/ipv4/conf", n.bridgeName(), "route_localnet"), "1");
            }
            return null;
        });
    }

    /** Bridges with their gateway addresses, the uplink to the internet namespace, host routes. */
    private Map<String, Integer> configureHost(NetNamespace host, NetNamespace inet) {
        RtnlSocket h = host.rtnl();
        Map<String, Integer> bridgeIndex = new LinkedHashMap<>();
        if (links != null) {
            configureInternet(inet, links.internetUplink(inet));
            return bridgeIndex;
        }
        // the uplink first: on a Docker host eth0 exists before docker0 and br-… (ip addr lists by ifindex)
        int up = host.allocateIfindex();
        int inetUp = inet.allocateIfindex();
        // the local end can be created up, the peer cannot (the kernel answers ENOTCONN): it is set up after
        h.addVeth(new VethEnd(InternetPlan.HOST_UPLINK_IFNAME, up, null, MTU, true), 0,
                new VethEnd(InternetPlan.ROUTER_UPLINK_IFNAME, inetUp, null, MTU, false), inet.fd());
        h.addAddress(up, InternetPlan.HOST_PUBLIC_ADDRESS.bits(), InternetPlan.UPLINK_NETWORK.prefixLength(), "host public address");
        for (NetworkPlan n : plan.networks()) {
            int idx = host.allocateIfindex();
            bridgeIndex.put(n.name(), idx);
            h.addBridge(n.bridgeName(), idx, n.bridgeMac() == null ? null : n.bridgeMac().toBytes(), MTU, true);
            h.addAddress(idx, n.gateway().bits(), n.subnet().prefixLength(), "address " + n.gateway() + " on " + n.bridgeName());
        }
        h.addRoute(0, 0, InternetPlan.ROUTER_ADDRESS.bits(), up, "host default route");
        h.flush();
        configureInternet(inet, inetUp);
        return bridgeIndex;
    }

    /** The internet side of the uplink: router, DNS and web addresses; the services network on lo. */
    private static void configureInternet(NetNamespace inet, int inetUp) {
        RtnlSocket in = inet.rtnl();
        in.setLink(inetUp, true, 0, "set router uplink up");
        in.addAddress(inetUp, InternetPlan.ROUTER_ADDRESS.bits(), InternetPlan.UPLINK_NETWORK.prefixLength(), "router address");
        in.addAddress(1, InternetPlan.SERVICES_BASE_ADDRESS.bits(), InternetPlan.SERVICES_NETWORK.prefixLength(), "services network on lo");
        in.addAddress(inetUp, InternetPlan.UPSTREAM_DNS.bits(), InternetPlan.UPLINK_NETWORK.prefixLength(), "upstream DNS address");
        in.addAddress(inetUp, InternetPlan.WEB_SERVER.bits(), InternetPlan.UPLINK_NETWORK.prefixLength(), "web server address");
        in.flush();
    }

    /** Queues (on the host socket) the veth pairs of {@code c}, container ends created directly in {@code cns}. */
    private int[] queueEndpoints(NetNamespace host, NetNamespace cns, ContainerPlan c, Map<String, Integer> bridgeIndex) {
        RtnlSocket h = host.rtnl();
        int[] idx = new int[c.endpoints().size()];
        for (int i = 0; i < idx.length; i++) {
            EndpointPlan e = c.endpoints().get(i);
            if (links != null) {
                idx[i] = links.containerLink(cns, c, e);
                continue;
            }
            Integer br = bridgeIndex.get(e.network());
            if (br == null) {
                throw new IllegalArgumentException("container " + c.name() + " attaches to unknown network " + e.network());
            }
            idx[i] = cns.allocateIfindex();
            int hv = host.allocateIfindex();
            // the host end is created up and enslaved in the same request; the peer cannot be (ENOTCONN)
            h.addVeth(new VethEnd(e.hostVeth(), hv, null, MTU, true, DOCKER_VETH_TXQLEN), br,
                    new VethEnd(e.ifname(), idx[i], e.mac() == null ? null : e.mac().toBytes(), MTU, false, DOCKER_VETH_TXQLEN),
                    cns.fd());
            hostVethIndex.put(e.hostVeth(), hv);
            vethsOf.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(e.hostVeth());
            if (!plan.userlandProxy()) {
                // userland-proxy=false: Docker puts every bridge port in hairpin mode
                h.setHairpin(hv, true, "hairpin on " + e.hostVeth());
            }
        }
        return idx;
    }

    /** Container side: interfaces up, addresses, the default route via the first non-internal network. */
    private void configureContainer(NetNamespace cns, ContainerPlan c, int[] idx) {
        RtnlSocket s = cns.rtnl();
        EndpointPlan gwEp = null;
        int gwIdx = 0;
        for (int i = 0; i < idx.length; i++) {
            EndpointPlan e = c.endpoints().get(i);
            s.setLink(idx[i], true, 0, "set " + c.name() + " " + e.ifname() + " up");
            s.addAddress(idx[i], e.address().bits(), e.prefixLength(), c.name() + " " + e.ifname() + " " + e.address());
            NetworkPlan n = plan.network(e.network()).orElseThrow();
            if (gwEp == null && !n.internal()) {
                gwEp = e;
                gwIdx = idx[i];
            }
        }
        if (gwEp != null) {
            NetworkPlan n = plan.network(gwEp.network()).orElseThrow();
            s.addRoute(0, 0, n.gateway().bits(), gwIdx, c.name() + " default via " + n.gateway());
        }
        s.flush();
        for (EndpointPlan e : c.endpoints()) {
            announceEndpoint(cns, e);
        }
    }

    /**
     * Docker 28+'s unsolicited ARPs for endpoint {@code e} of {@code container}: {@link ArpAnnouncer#COUNT}
     * gratuitous ARPs {@link ArpAnnouncer#INTERVAL_MS} ms apart from its interface, in the background (the
     * build, {@link #connect} and a restart do it by themselves; the TAP backend calls this when it brings a
     * stopped container's links up again).
     */
    public void announce(String container, EndpointPlan e) {
        announceEndpoint(namespace(namespaceOf(container)), e);
    }

    /**
     * Starts the announcements of endpoint {@code e}, whose interface in {@code cns} was just set up; on a
     * veth of ours the first one waits for the bridge port at the host end to forward.
     */
    private void announceEndpoint(NetNamespace cns, EndpointPlan e) {
        Integer port = links == null ? hostVethIndex.get(e.hostVeth()) : null;
        if (port == null) {
            announcer.announce(cns.path().toString(), e.ifname(), e.address());
        } else {
            announcer.announce(cns.path().toString(), e.ifname(), e.address(), namespace(hostNamespace()).path().toString(), port);
        }
    }

    /** The run's unsolicited-ARP sender (counters for tests). */
    public ArpAnnouncer announcer() {
        return announcer;
    }

    /**
     * {@code docker network connect}: adds endpoint {@code e} to {@code container}'s namespace (veth pair
     * enslaved to the network's bridge, address, and a default route via its gateway if the namespace
     * has none yet and the network is not internal). With a {@link LinkProvider} (the TAP backend) the
     * provider creates the container's interface and this method configures it as above; the host side
     * is the provider's business.
     */
    public synchronized void connect(String container, EndpointPlan e) {
        NetNamespace cns = namespace(namespaceOf(container));
        if (links != null) {
            ContainerPlan c = plan.container(container).orElseThrow(() -> new IllegalArgumentException("no container " + container));
            configureConnected(cns, container, e, links.containerLink(cns, c, e));
            return;
        }
        NetNamespace host = namespace(hostNamespace());
        Integer br = bridgeIndex.get(e.network());
        if (br == null) {
            throw new IllegalArgumentException("unknown network " + e.network());
        }
        int idx = cns.allocateIfindex();
        int hv = host.allocateIfindex();
        host.rtnl().addVeth(new VethEnd(e.hostVeth(), hv, null, MTU, false, DOCKER_VETH_TXQLEN), br,
                new VethEnd(e.ifname(), idx, e.mac() == null ? null : e.mac().toBytes(), MTU, false, DOCKER_VETH_TXQLEN), cns.fd());
        host.rtnl().setLink(hv, true, 0, "set " + e.hostVeth() + " up");
        if (!plan.userlandProxy()) {
            host.rtnl().setHairpin(hv, true, "hairpin on " + e.hostVeth());
        }
        host.rtnl().flush();
        hostVethIndex.put(e.hostVeth(), hv);
        vethsOf.computeIfAbsent(plan.container(container).map(ContainerPlan::netns).orElse(container), k -> new ArrayList<>())
                .add(e.hostVeth());
        configureConnected(cns, container, e, idx);
        awaitForwarding(host, List.of(hv));
        host.rtnl().syncLink(br);
    }

    /** The container side of a connected endpoint: up, its address, a default route if there is none yet. */
    private void configureConnected(NetNamespace cns, String container, EndpointPlan e, int idx) {
        cns.rtnl().setLink(idx, true, 0, "set " + e.ifname() + " up");
        cns.rtnl().addAddress(idx, e.address().bits(), e.prefixLength(), container + " " + e.ifname() + " " + e.address());
        cns.rtnl().flush();
        announceEndpoint(cns, e);
        NetworkPlan n = plan.network(e.network()).orElseThrow();
        if (!n.internal()) {
            try {
                cns.rtnl().addRoute(0, 0, n.gateway().bits(), idx, container + " default via " + n.gateway());
                cns.rtnl().flush();
            } catch (dev.simnet.linux.netlink.RtnlException ex) {
                if (ex.errno() != dev.simnet.linux.ffi.Errno.EEXIST) {
                    throw ex;
                }
            }
        }
    }

    /**
     * {@code docker network disconnect}: deletes the endpoint's veth pair (both ends go with the host end).
     * With a {@link LinkProvider} the link is the provider's to remove (a TAP goes with its fd).
     */
    public synchronized void disconnect(String container, EndpointPlan e) {
        String nsName = nsOfContainer.get(container);
        if (nsName != null) {
            announcer.cancel(namespace(nsName).path().toString(), e.ifname());
        }
        if (links != null) {
            throw new UnsupportedOperationException("disconnect " + e.hostVeth() + ": links made by a LinkProvider are removed by it");
        }
        Integer hv = hostVethIndex.remove(e.hostVeth());
        if (hv == null) {
            throw new IllegalArgumentException(container + " has no endpoint " + e.hostVeth());
        }
        vethsOf.values().forEach(l -> l.remove(e.hostVeth()));
        NetNamespace host = namespace(hostNamespace());
        host.rtnl().deleteLink(hv, "delete " + e.hostVeth());
        host.rtnl().flush();
    }

    /** {@code docker stop}: deletes every endpoint of {@code container}'s namespace, whatever the plan says now. */
    public synchronized void disconnectAll(String container) {
        String owner = plan.container(container).map(ContainerPlan::netns).orElse(container);
        String nsName = nsOfContainer.get(container);
        if (nsName != null) {
            announcer.cancel(namespace(nsName).path().toString());
        }
        List<String> veths = vethsOf.remove(owner);
        if (veths == null) {
            return;
        }
        NetNamespace host = namespace(hostNamespace());
        for (String v : veths) {
            Integer hv = hostVethIndex.remove(v);
            if (hv != null) {
                host.rtnl().deleteLink(hv, "delete " + v);
            }
        }
        host.rtnl().flush();
    }

    /** The zone the internet namespace's DNS server answers from, as a recursive resolver ({@link InternetPlan#UPSTREAM_ZONE}). */
    public static final String INTERNET_ZONE = InternetPlan.UPSTREAM_ZONE;


    private final Map<String, Integer> dnsPorts = new LinkedHashMap<>();
    private DnsRecords records;
    private final Map<String, Integer> bridgeIndex = new LinkedHashMap<>();
    private LinkProvider links;
    private final Map<String, Integer> hostVethIndex = new LinkedHashMap<>();
    private final Map<String, List<String>> vethsOf = new LinkedHashMap<>();

    private volatile boolean hostRulesLoaded;

    /** True once {@link #loadHostRules} ran (the build's {@code dockerRules} option): later plan changes reload them. */
    public boolean hostRulesLoaded() {
        return hostRulesLoaded;
    }

    /** Tables of the host namespace the last {@link #loadHostRules} left in the kernel. */
    private final Set<Table> hostTables = java.util.EnumSet.noneOf(Table.class);

    /**
     * Loads Docker's host rule set for the plan ({@code DockerRules.hostRules}) into the Docker host
     * namespace as Docker 29 does by default: through iptables (iptables-nft), here one
     * {@code iptables-restore -c} of the simulator's rules ({@link IptablesSave#restore}), so
     * {@code iptables -S}, {@code iptables-save} and {@code nft list ruleset} show what a Docker host shows.
     */
    public void loadHostRules() {
        loadHostRules(plan);
    }

    /**
     * Replaces the host's rule set with the one for {@code current} (the plan after a container was
     * started, connected or disconnected), as the simulator reloads its own: one atomic
     * {@code iptables-restore} of every table, each rule that stays keeping its packet and byte counters.
     */
    public void loadHostRules(TopologyPlan current) {
        // not under this object's monitor: runInNamespace takes it on the namespace's thread
        synchronized (hostTables) {
            loadHostRulesLocked(current);
        }
    }

    private void loadHostRulesLocked(TopologyPlan current) {
        hostRulesLoaded = true;
        RuleSet rs = DockerRules.hostRules(current);
        IptablesSave.CounterSource kept = null;
        if (!hostTables.isEmpty()) {
            CommandResult save = runInNamespace(hostNamespace(), null, Duration.ofSeconds(20),
                    Tools.require("iptables-save", "iptables"), "-c");
            if (!save.ok()) {
                throw new IllegalStateException("iptables-save -c in " + hostNamespace() + " failed (" + save.exitCode() + "): "
                        + save.stderr().strip());
            }
            kept = savedCounters(save.stdout());
        }
        String input = IptablesSave.restore(rs, kept, hostTables);
        restore(hostNamespace(), input);
        hostTables.clear();
        for (Table t : Table.values()) {
            if (!rs.isEmpty(t)) {
                hostTables.add(t);
            }
        }
    }

    /** {@code iptables-restore -c} of {@code input} inside {@code nsName}; a failure names the namespace and the kernel's answer. */
    private void restore(String nsName, String input) {
        CommandResult r = runInNamespace(nsName, input, Duration.ofSeconds(20), Tools.require("iptables-restore", "iptables"), "-c");
        if (!r.ok()) {
            throw new IllegalStateException("iptables-restore in " + nsName + " failed (" + r.exitCode() + "): " + r.stderr().strip());
        }
    }

    /**
     * The counters of an {@code iptables-save -c} dump by table, chain and rule text; identical rules of
     * one chain are handed out in order.
     */
    static IptablesSave.CounterSource savedCounters(String dump) {
        Map<String, java.util.ArrayDeque<long[]>> byRule = new java.util.HashMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\\[(\\d+):(\\d+)\\] -A (\\S+) (.*)$");
        String table = null;
        for (String l : dump.split("\n")) {
            if (l.startsWith("*")) {
                table = l.substring(1).trim();
                continue;
            }
            java.util.regex.Matcher m = line.matcher(l);
            if (m.matches() && table != null) {
                byRule.computeIfAbsent(table + " " + m.group(3) + " " + m.group(4), k -> new java.util.ArrayDeque<>())
                        .add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return (t, chain, spec) -> {
            java.util.ArrayDeque<long[]> q = byRule.get(t.tableName() + " " + chain + " " + spec);
            return q == null ? null : q.poll();
        };
    }

    /**
     * With the userland proxy (the plan's default), one {@link PortProxy} per published port and protocol
     * ({@link TcpProxy}, {@link dev.simnet.linux.serve.UdpProxy}) in the Docker host namespace, as Docker starts
     * one {@code docker-proxy} each; nothing when {@code userland-proxy=false}.
     */
    public void startPortProxies() {
        portProxiesOn = true;
        for (ContainerPlan c : plan.containers()) {
            startPortProxies(c);
        }
    }

    /** The docker-proxy instances running for each container's published ports. */
    private final Map<String, List<PortProxy>> portProxies = new LinkedHashMap<>();
    /** True once {@link #startPortProxies()} ran (the build's {@code dockerRules} option). */
    private volatile boolean portProxiesOn;

    /**
     * {@code docker start} of {@code c} (as the plan now has it, with its new endpoints): with the userland
     * proxy, a {@link PortProxy} per published port and protocol towards the endpoint its ports map to (its
     * first attachment to a non-internal network, as the DNAT rule's); nothing for a container without one, nor
     * when this run does not run docker-proxy (no {@link #startPortProxies()} at build).
     */
    public void startPortProxies(ContainerPlan c) {
        if (!portProxiesOn || !plan.userlandProxy() || c.ports().isEmpty() || !c.ownsNamespace()) {
            return;
        }
        EndpointPlan e = null;
        for (EndpointPlan x : c.endpoints()) {
            if (plan.network(x.network()).map(n -> !n.internal()).orElse(false)) {
                e = x;
                break;
            }
        }
        if (e == null) {
            return;
        }
        stopPortProxies(c.name());
        NetnsExecutor ex = namespace(hostNamespace()).executor();
        List<PortProxy> mine = new ArrayList<>();
        synchronized (portProxies) {
            portProxies.put(c.name(), mine);
        }
        for (PortPlan p : c.ports()) {
            java.net.InetSocketAddress listen = new java.net.InetSocketAddress(ipv4(p.hostIp()), p.hostPort());
            java.net.InetSocketAddress target = new java.net.InetSocketAddress(ipv4(e.address()), p.containerPort());
            PortProxy px = PortProxy.start(ex, p.protocol(), listen, target);
            mine.add(px);
            addService(px);
        }
    }

    /** {@code docker stop} of {@code container}: its docker-proxy instances end, their host ports are free again. */
    public void stopPortProxies(String container) {
        List<PortProxy> mine;
        synchronized (portProxies) {
            mine = portProxies.remove(container);
        }
        if (mine == null) {
            return;
        }
        for (PortProxy px : mine) {
            services.remove(px);
            px.close();
        }
    }

    /**
     * Starts the internet namespace's servers: the authoritative DNS for {@code example.test} on
     * {@link InternetPlan#UPSTREAM_DNS}:53 (UDP and TCP) and a whoami HTTP server on
     * {@link InternetPlan#WEB_SERVER}:80 (it shows the source address a container's traffic arrives with).
     */
    public void startInternetServices() {
        NetnsExecutor ex = namespace(internetNamespace()).executor();
        SocketDnsServer dns = ex.call(() -> {
            try {
                return new SocketDnsServer(AuthoritativeServer.asRecursive(
                        new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse(".", INTERNET_ZONE)))),
                        java.net.InetAddress.getByAddress(InternetPlan.UPSTREAM_DNS.toBytes()), 53, "internet");
            } catch (IOException e) {
                throw new UncheckedIOException("upstream DNS server: " + e.getMessage(), e);
            }
        });
        addService(dns);
        addService(MiniHttpServer.start(ex, new java.net.InetSocketAddress(ipv4(InternetPlan.WEB_SERVER), 80),
                MiniHttpServer.Kind.WHOAMI, "internet", List.of(InternetPlan.WEB_SERVER.toString())));
    }

    private static java.net.InetAddress ipv4(dev.simnet.addr.Ipv4Address a) {
        try {
            return java.net.InetAddress.getByAddress(a.toBytes());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Serves Docker's embedded DNS inside every container namespace on a user-defined network: our
     * resolver ({@code EmbeddedDnsServer} over the plan's records) on real UDP and TCP sockets bound to
     * 127.0.0.11 on a random port, created by the namespace's own thread (so its sockets, and the
     * forwarder's upstream sockets, live there), plus the nat rules Docker installs in the container
     * ({@code DockerRules.containerDnsRules}: OUTPUT DNAT of 127.0.0.11:53 to that port, POSTROUTING SNAT
     * of the answers back to 53), loaded with {@code iptables-restore} as Docker's iptables calls do.
     */
    public void startEmbeddedDns() {
        records = PlanRecords.build(plan);
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        for (ContainerPlan c : plan.containers()) {
            if (!c.ownsNamespace() || c.networkMode().equals("host") || !ContainerFiles.usesEmbeddedDns(c, plan)) {
                continue;
            }
            String nsName = containerNsName(c.name());
            NetnsExecutor ex = namespace(nsName).executor();
            SplittableRandom rnd = new SplittableRandom(plan.seed() ^ c.id().hashCode());
            SocketDnsServer server = ex.call(() -> {
                WallClockTimer timer = new WallClockTimer();
                SocketUpstreamTransport transport = new SocketUpstreamTransport(4000);
                addService(timer);
                addService(transport);
                Forwarder fwd = new Forwarder(transport, timer);
                try {
                    return new SocketDnsServer(new EmbeddedDnsServer(records, fwd, rnd.split()),
                            java.net.InetAddress.getByAddress(DockerRules.RESOLVER.toBytes()), 0, PlanRecords.askerFor(c));
                } catch (IOException e) {
                    throw new UncheckedIOException("embedded DNS in " + nsName + ": " + e.getMessage(), e);
                }
            });
            addService(server);
            dnsPorts.put(c.name(), server.port());
            String input = IptablesSave.restore(DockerRules.containerDnsRules(server.port(), server.port()), null, List.of());
            jobs.add(CompletableFuture.runAsync(() -> restore(nsName, input)));
        }
        try {
            CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /**
     * The live DNS records every embedded resolver of this run answers from (null before
     * {@link #startEmbeddedDns()}): update it on stop/start/connect/disconnect.
     */
    public DnsRecords dnsRecords() {
        return records;
    }

    /** The real port the embedded DNS of {@code container}'s namespace listens on (behind 127.0.0.11:53). */
    public int embeddedDnsPort(String container) {
        Integer p = dnsPorts.get(nsOwner(container));
        if (p == null) {
            throw new IllegalArgumentException("no embedded DNS for " + container);
        }
        return p;
    }

    private String nsOwner(String container) {
        return plan.container(container).map(ContainerPlan::netns).orElse(container);
    }

    /**
     * Runs a program in namespace {@code nsName} without {@code ip netns exec}: it is spawned by the
     * namespace's own thread, so the child inherits that network namespace (but not the
     * {@code /etc/netns} files). {@code input} (may be null) is written to its stdin.
     */
    public CommandResult runInNamespace(String nsName, String input, Duration timeout, String... cmd) {
        NetnsExecutor ex = namespace(nsName).executor();
        Process p = ex.call(() -> {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("run " + runId() + " is closed");
                }
                Process pr = new ProcessBuilder(cmd).start();
                processes.add(pr);
                state.recordPid(pr.pid());
                return pr;
            }
        });
        if (input != null) {
            try (var out = p.getOutputStream()) {
                out.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the process died early; its exit status says why
            }
        }
        return collect(p, timeout);
    }

    /**
     * Runs {@code cmd} in {@code container}'s namespace ({@code ip netns exec}), waiting up to
     * {@code timeout}. As inside a Docker container, the host's namespace names are hidden: a tmpfs
     * is mounted over {@code /run/netns} in the private mount namespace {@code ip netns exec} made
     * for the command, so {@code ip link} shows {@code link-netnsid 0} rather than our host's name.
     */
    public CommandResult exec(String container, Duration timeout, String... cmd) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "mount -t tmpfs -o size=4k,mode=755 simnet-hidden /run/netns 2>/dev/null; exec \"$@\"", "sh"));
        argv.addAll(List.of(cmd));
        return execIn(namespaceOf(container), timeout, argv);
    }

    /** Runs {@code cmd} in the Docker host namespace. */
    public CommandResult execHost(Duration timeout, String... cmd) {
        return execIn(hostNamespace(), timeout, List.of(cmd));
    }

    /** Runs {@code cmd} in the internet namespace. */
    public CommandResult execInternet(Duration timeout, String... cmd) {
        return execIn(internetNamespace(), timeout, List.of(cmd));
    }

    /** Runs {@code cmd} in namespace {@code nsName} of this run. */
    public CommandResult execIn(String nsName, Duration timeout, List<String> cmd) {
        Process p = start(nsName, cmd);
        return collect(p, timeout);
    }

    /**
     * Starts a long-running process in {@code container}'s namespace; its pid is recorded in the state
     * file and it is killed on close or sweep.
     */
    public Process spawn(String container, List<String> cmd) {
        return start(namespaceOf(container), cmd);
    }

    private Process start(String nsName, List<String> cmd) {
        namespace(nsName);
        List<String> argv = new ArrayList<>();
        argv.add(Tools.require("ip"));
        argv.add("netns");
        argv.add("exec");
        argv.add(nsName);
        argv.addAll(cmd);
        try {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("run " + runId() + " is closed");
                }
                Process p = new ProcessBuilder(argv).start();
                processes.add(p);
                state.recordPid(p.pid());
                return p;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv, e);
        }
    }

    /** Waits for {@code p} and collects its output, killing it after {@code timeout}. */
    public static CommandResult collect(Process p, Duration timeout) {
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin already closed
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            p.destroyForcibly();
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String o = out.join();
        String e = err.join();
        return new CommandResult(done ? p.exitValue() : -1, o, e, !done);
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Removes every object of this run (processes, namespaces, /etc/netns dirs, state file). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            announcer.close(); // before the namespaces go: nothing is sent into a deleted one
            List<AutoCloseable> svc;
            synchronized (services) {
                svc = new ArrayList<>(services);
            }
            for (AutoCloseable s : svc) {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // the namespace goes away anyway
                }
            }
            synchronized (processes) {
                for (Process p : processes) {
                    p.destroyForcibly();
                }
            }
            for (NetNamespace ns : namespaces.values()) {
                ns.close();
            }
            List<RunState.Entry> entries;
            try {
                entries = RunState.read(state.file());
            } catch (IOException e) {
                entries = List.of();
            }
            RunCleaner.clean(runId(), entries);
            state.delete();
        } finally {
            LIVE.remove(this);
        }
    }
}
