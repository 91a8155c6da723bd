package dev.simnet.tap;

import dev.simnet.capture.MergedPcapWriter;
import dev.simnet.capture.PcapBackend;
import dev.simnet.capture.PcapWriter;
import dev.simnet.device.AbstractDevice;
import dev.simnet.host.HostStack;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.NetNamespace;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.netfilter.docker.DockerRules;
import dev.simnet.ns.Namespace;
import dev.simnet.sched.RealtimeRunner;
import dev.simnet.sim.Simulation;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One run of a {@link TopologyPlan} whose containers are real kernel namespaces running real
 * programs and whose network between them is simnet's engine in wall-clock mode:
 *
 * <pre>
 *  sn-ID-c-NAME (real)   eth0 = TAP ══╗                          ╔══ TAP eth0   sn-ID-inet (real)
 *  sn-ID-c-NAME2 (real)  eth0 = TAP ══╣   docker-host (simulated) ║   203.0.113.254, .53 DNS, .80 HTTP
 *                                     ╚═ vethXXX ─ br-… ─ routing ─ netfilter (Docker rules, conntrack, NAT) ─ eth0 203.0.113.1
 * </pre>
 *
 * The real side — namespaces, TAPs born inside them (named {@code eth0}… with the plan's MAC),
 * addresses, default route, {@code /etc/netns} resolv.conf and hosts, the embedded DNS on real
 * sockets behind Docker's 127.0.0.11 DNAT, the internet's DNS and HTTP servers, the state file and
 * crash cleanup — is the Linux backend's {@link LinuxTopology}, built with a
 * {@link LinuxTopology.LinkProvider} that makes TAPs instead of veth pairs. The simulated side is a
 * {@link Simulation} with one namespace, the Docker host: one bridge per network holding the gateway,
 * one {@link TapPort} per endpoint where the host-side veth would be, the uplink {@link TapPort}
 * {@code eth0}, {@code ip_forward=1} and Docker's rule set. A {@link RealtimeRunner} drives it on its own
 * thread, which also reads every TAP itself ({@link TapPoller}: it waits in one {@code ppoll} over the TAPs
 * and an eventfd instead of parking, so a frame is read, switched or routed and written on that one
 * thread); everything touching the engine after {@link #build} goes through {@link #onLoop}.
 *
 * <p>With offloads the containers' TCP super-frames stay whole where Linux keeps a GSO skb whole: switched
 * by the bridge to another container, and routed (to another network, or masqueraded to the internet through
 * the uplink, a TAP with offloads too) — the engine's forwarding checks each segment against the MTU and NAT
 * adjusts the partial checksum. Frames for the Docker host itself are segmented and checksummed in
 * software first ({@link Offload}).
 */
public final class TapNetwork implements AutoCloseable {
    /** The simulated Docker host's namespace name. */
    public static final String HOST_NS = "docker-host";
    /** MTU of every TAP and port. */
    public static final int MTU = 1500;

    /**
     * Build options.
     *
     * @param seed             engine seed (MACs of simulated devices, NAT port choice, …)
     * @param embeddedDns      serve Docker's embedded DNS in each container namespace (real sockets, 127.0.0.11 DNAT)
     * @param internetServices run the upstream DNS (203.0.113.53) and HTTP (203.0.113.80) servers in the internet namespace
     * @param captureDir       directory for pcap files of the userspace datapath (null: no capture)
     * @param sweepFirst       remove what killed runs left behind before building
     * @param offloads         container TAPs with {@code IFF_VNET_HDR} and TSO/checksum offload: TCP super-frames
     *                         switched between containers stay whole; routed ones too with {@code routedOffload}
     * @param loopIo           the engine loop reads the TAPs itself ({@link TapPoller}: one {@code ppoll} over
     *                         every TAP and an eventfd); false: one reader thread per TAP posts batches to the loop
     * @param routedOffload    with offloads, TCP super-frames the host routes (to another network, or masqueraded
     *                         to the internet through the uplink, itself a TAP with offloads then) stay whole as well;
     *                         false: they are segmented in software before the engine routes them
     */
    public record Options(long seed, boolean embeddedDns, boolean internetServices, Path captureDir, boolean sweepFirst,
                          boolean offloads, boolean loopIo, boolean routedOffload) {
        /** Everything on (offloads and loop I/O too), no capture. */
        public static Options defaults() {
            return new Options(1, true, true, null, true, true, true, true);
        }

        /** These options with offloads on or off. */
        public Options withOffloads(boolean on) {
            return new Options(seed, embeddedDns, internetServices, captureDir, sweepFirst, on, loopIo, routedOffload);
        }

        /** These options capturing into {@code dir}. */
        public Options withCapture(Path dir) {
            return new Options(seed, embeddedDns, internetServices, dir, sweepFirst, offloads, loopIo, routedOffload);
        }

        /** These options with another seed. */
        public Options withSeed(long s) {
            return new Options(s, embeddedDns, internetServices, captureDir, sweepFirst, offloads, loopIo, routedOffload);
        }

        /** These options with the embedded DNS and internet servers on or off. */
        public Options withServices(boolean on) {
            return new Options(seed, on, on, captureDir, sweepFirst, offloads, loopIo, routedOffload);
        }

        /** These options with the TAPs read by the engine loop itself (true) or by one reader thread each. */
        public Options withLoopIo(boolean on) {
            return new Options(seed, embeddedDns, internetServices, captureDir, sweepFirst, offloads, on, routedOffload);
        }

        /** These options with routed super-frames kept whole (true) or segmented before routing. */
        public Options withRoutedOffload(boolean on) {
            return new Options(seed, embeddedDns, internetServices, captureDir, sweepFirst, offloads, loopIo, on);
        }
    }

    private final LinuxTopology kernel;
    private final Map<String, TapDevice> taps;
    private final Simulation sim;
    private final Namespace host;
    private final Netfilter netfilter;
    private final HostStack hostStack;
    private final Map<String, BridgeDevice> bridges = new LinkedHashMap<>();
    /** Ports by host-side name; changed by connect/disconnect on the loop, read from callers' threads. */
    private final Map<String, TapPort> ports = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<AutoCloseable> captures = new ArrayList<>();
    private MergedPcapWriter mergedCapture;
    private Path captureDir;
    private long captureEpoch;
    /** The plan as it is now: the build's, then each connect/disconnect's container (loop thread writes). */
    private volatile TopologyPlan live;
    private final RealtimeRunner runner;
    /** The host's own addresses, for the ports' routed offload; null when routed super-frames are segmented. */
    private final java.util.function.IntPredicate hostLocal;
    /** The loop's own TAP I/O, or null when each port has a reader thread. */
    private final TapPoller poller;
    private final Thread loop;
    private volatile Throwable loopFailure;
    private volatile boolean closed;

    private TapNetwork(LinuxTopology kernel, Map<String, TapDevice> taps, Options options) {
        this.kernel = kernel;
        this.taps = taps;
        TopologyPlan plan = kernel.plan();
        this.live = plan;
        this.sim = new Simulation(options.seed());
        this.host = sim.namespace(HOST_NS);
        host.setIpForward(true);
        host.setIpv6(true); // as the Linux backend's host namespace: lo shows ::1
        HostStack stack = new HostStack(HOST_NS, sim.scheduler(), host, sim.pool(), sim.streams().stream("host/" + HOST_NS),
                a -> host.isLocalAddress(a) || (a >>> 24) == 127);
        host.setTransportReceiver(stack);
        this.hostStack = stack;
        this.netfilter = Netfilter.create(host, sim.streams(), HOST_NS);
        netfilter.load(DockerRules.hostRules(plan));
        host.setPacketFilter(netfilter);
        // the uplink first, as on a Docker host (eth0 before docker0 and br-…; ip addr lists by ifindex)
        TapPort uplink = new TapPort(InternetPlan.HOST_UPLINK_IFNAME, sim.randomMac(), MTU, taps.get(UPLINK_KEY), sim.pool());
        host.addDevice(uplink, 0);
        this.hostLocal = options.offloads() && options.routedOffload() ? host::isLocalAddress : null;
        uplink.setRoutedOffload(hostLocal);
        sim.addAddress(host, InternetPlan.HOST_UPLINK_IFNAME,
                InternetPlan.HOST_PUBLIC_ADDRESS + "/" + InternetPlan.UPLINK_NETWORK.prefixLength());
        sim.setUp(host, InternetPlan.HOST_UPLINK_IFNAME);
        for (NetworkPlan n : plan.networks()) {
            BridgeDevice br = sim.bridge(host, n.bridgeName(), n.bridgeMac() != null ? n.bridgeMac().bits() : sim.randomMac());
            sim.addAddress(host, n.bridgeName(), n.gateway() + "/" + n.subnet().prefixLength());
            sim.setUp(host, n.bridgeName());
            bridges.put(n.name(), br);
            if (!plan.userlandProxy()) {
                host.setRouteLocalnet(n.bridgeName(), true);
            }
            if (!plan.userlandProxy() || !n.icc()) {
                // Docker loads br_netfilter only where it needs iptables to see bridged traffic
                br.setBridgeNetfilter(netfilter);
            }
        }
        for (ContainerPlan c : plan.containers()) {
            for (EndpointPlan e : endpointsOf(c)) {
                addPort(e, taps.get(e.hostVeth()));
            }
        }
        sim.addRoute(host, "default", InternetPlan.ROUTER_ADDRESS.toString());
        ports.put(UPLINK_KEY, uplink);
        if (options.captureDir() != null) {
            startCapture(options.captureDir());
        }
        this.runner = new RealtimeRunner(sim.scheduler());
        this.poller = options.loopIo() ? new TapPoller() : null;
        if (poller != null) {
            runner.setIoPoller(poller);
        }
        for (TapPort p : ports.values()) {
            startPort(p);
        }
        this.loop = new Thread(this::runLoop, "simnet-tap-engine-" + kernel.runId());
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * The engine loop. An event or task that throws a RuntimeException (a bug in one tool's callback,
     * say) loses only its own work: it is counted, reported once, and the loop goes on, so one failed
     * event never takes the whole network down. An Error ends the loop.
     */
    private void runLoop() {
        while (true) {
            try {
                runner.runUntilStopped();
                return;
            } catch (RuntimeException e) {
                if (eventFailures.getAndIncrement() == 0) {
                    firstEventFailure = e;
                    System.err.println("simnet tap: an engine event failed, the engine goes on (counted in eventFailures()): " + e);
                }
                if (closed) {
                    return;
                }
            } catch (Throwable t) {
                loopFailure = t;
                System.err.println("simnet tap: engine loop failed: " + t);
                return;
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicLong eventFailures = new java.util.concurrent.atomic.AtomicLong();
    private volatile RuntimeException firstEventFailure;

    /** Events or tasks of the engine loop that threw and were dropped (the loop went on). */
    public long eventFailures() {
        return eventFailures.get();
    }

    /** The first event failure counted by {@link #eventFailures()}, or null. */
    public RuntimeException firstEventFailure() {
        return firstEventFailure;
    }

    private static final String UPLINK_KEY = "\u0000uplink";

    /** Starts reading {@code p}'s TAP: by the loop's poller, or by its own reader thread. */
    private void startPort(TapPort p) {
        if (poller != null) {
            poller.add(p);
        } else {
            p.start(runner);
        }
    }

    /** The host side of endpoint {@code e}: a port over {@code tap} where Docker's veth would be, enslaved to its bridge and up. */
    private TapPort addPort(EndpointPlan e, TapDevice tap) {
        TopologyPlan plan = live;
        BridgeDevice br = bridges.get(e.network());
        if (br == null) {
            throw new IllegalArgumentException("unknown network " + e.network());
        }
        TapPort port = new TapPort(e.hostVeth(), sim.randomMac(), MTU, tap, sim.pool());
        port.setRoutedOffload(hostLocal);
        port.setTxQueueLen(0); // where Docker's host-side veth end is, with the txqueuelen 0 moby gives it
        host.addDevice(port, 0);
        sim.enslave(br, e.hostVeth());
        if (!plan.userlandProxy()) {
            br.setHairpin(port, true);
        }
        sim.setUp(host, e.hostVeth());
        if (!plan.userlandProxy() || !plan.network(e.network()).map(NetworkPlan::icc).orElse(true)) {
            port.setOffloadPassThrough(false);
        }
        ports.put(e.hostVeth(), port);
        return port;
    }

    private static List<EndpointPlan> endpointsOf(ContainerPlan c) {
        if (c.networkMode().equals("host") || !c.ownsNamespace()) {
            return List.of();
        }
        return c.endpoints();
    }

    /** Builds {@code plan}; on failure everything made so far is removed. */
    static TapNetwork build(TopologyPlan plan, Options options) {
        Map<String, TapDevice> taps = Collections.synchronizedMap(new LinkedHashMap<>());
        LinuxTopology.LinkProvider provider = new LinuxTopology.LinkProvider() {
            @Override
            public int containerLink(NetNamespace ns, ContainerPlan c, EndpointPlan e) {
                byte[] mac = e.mac() == null ? null : e.mac().toBytes();
                TapDevice t = ns.executor().call(() -> TapDevice.create(e.ifname(), mac, options.offloads()));
                taps.put(e.hostVeth(), t);
                return t.ifindex();
            }

            @Override
            public int internetUplink(NetNamespace inet) {
                TapDevice t = inet.executor().call(() -> TapDevice.create(InternetPlan.ROUTER_UPLINK_IFNAME, null,
                        options.offloads() && options.routedOffload()));
                taps.put(UPLINK_KEY, t);
                return t.ifindex();
            }
        };
        LinuxTopology.Options lo = LinuxTopology.Options.defaults()
                .withDockerRules(false)
                .withInternetServices(options.internetServices())
                .withEmbeddedDns(options.embeddedDns())
                .withLinks(provider);
        if (!options.sweepFirst()) {
            lo = new LinuxTopology.Options(lo.factoryThreads(), lo.progress(), lo.afterNamespace(), false, lo.dockerRules(),
                    lo.internetServices(), lo.embeddedDns(), lo.links());
        }
        LinuxTopology kernel = null;
        try {
            kernel = LinuxBackend.build(plan, lo);
            return new TapNetwork(kernel, taps, options);
        } catch (RuntimeException | Error e) {
            synchronized (taps) {
                taps.values().forEach(TapDevice::close);
            }
            if (kernel != null) {
                try {
                    kernel.close();
                } catch (RuntimeException s) {
                    e.addSuppressed(s);
                }
            }
            throw e;
        }
    }

    private void startCapture(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create capture directory " + dir, e);
        }
        captureDir = dir;
        captureEpoch = System.currentTimeMillis() * 1_000_000L;
        mergedCapture = new MergedPcapWriter(dir.resolve("all.pcap"), captureEpoch, PcapBackend.JAVA);
        captures.add(mergedCapture);
        for (AbstractDevice d : host.devices()) {
            if (d.kind() != AbstractDevice.Kind.LOOPBACK) {
                capture(d);
            }
        }
    }

    /** Adds {@code d} to the merged capture and gives it its own pcap file (when capturing). */
    private void capture(AbstractDevice d) {
        if (mergedCapture == null) {
            return;
        }
        mergedCapture.registerInterface(HOST_NS, d.name(), d.mac());
        d.addTap(mergedCapture);
        PcapWriter w = new PcapWriter(captureDir.resolve(HOST_NS + "-" + d.name() + ".pcap"), captureEpoch, PcapBackend.JAVA);
        captures.add(w);
        d.addTap(w);
    }

    /** The kernel side: namespaces, exec, spawn, the embedded DNS, state file. */
    public LinuxTopology kernel() {
        return kernel;
    }

    /** The run id carried by every kernel object name. */
    public String runId() {
        return kernel.runId();
    }

    /**
     * The plan as built (with the host's upstream DNS filled in), with the containers as
     * {@link #connect}/{@link #disconnect} last left them.
     */
    public TopologyPlan plan() {
        return live;
    }

    /** The engine's port for a plan host-side veth name, or {@code "eth0"} for the uplink. */
    public TapPort port(String hostVeth) {
        TapPort p = ports.get(hostVeth.equals(InternetPlan.HOST_UPLINK_IFNAME) ? UPLINK_KEY : hostVeth);
        if (p == null) {
            throw new IllegalArgumentException("no port " + hostVeth);
        }
        return p;
    }

    /** The runner driving the engine. */
    public RealtimeRunner runner() {
        return runner;
    }

    /**
     * Runs {@code f} on the engine's loop thread (the only thread allowed to touch the simulation while
     * it runs) and waits for its result.
     */
    public <T> T onLoop(Function<Simulation, T> f) {
        if (loopFailure != null) {
            throw new IllegalStateException("engine loop failed", loopFailure);
        }
        CompletableFuture<T> r = new CompletableFuture<>();
        runner.post(() -> {
            try {
                r.complete(f.apply(sim));
            } catch (Throwable t) {
                r.completeExceptionally(t);
            }
        });
        try {
            return r.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("engine loop did not answer in 10 s", e);
        }
    }

    /**
     * Bytes allocated so far by the engine's loop thread (HotSpot's per-thread counter), or -1 where the
     * JVM cannot tell: with {@link #framesHandled()} it shows what the datapath allocates per frame.
     */
    public long engineAllocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean hs && hs.isThreadAllocatedMemorySupported()) {
            return hs.getThreadAllocatedBytes(loop.getId());
        }
        return -1;
    }

    /** Frames received from and written to every TAP so far (super-frames count once). */
    public long framesHandled() {
        return onLoop(s -> {
            long n = 0;
            synchronized (ports) {
                for (TapPort p : ports.values()) {
                    n += p.counters().rxPackets + p.counters().txPackets;
                }
            }
            return n;
        });
    }

    /** {@code conntrack -L} of the simulated Docker host. */
    public String conntrackList() {
        return onLoop(s -> netfilter.conntrack().list(s.now()));
    }

    /**
     * The simulated Docker host's socket layer (for programs of the host such as docker-proxy); touch
     * it only through {@link #onLoop}.
     */
    public HostStack hostStack() {
        return hostStack;
    }

    /**
     * The simulated Docker host's netfilter (rule set, conntrack) for the host's tools; touch it only
     * through {@link #onLoop}.
     */
    public Netfilter netfilter() {
        return netfilter;
    }

    /** {@code iptables-save} of the simulated Docker host (with counters when {@code counters}). */
    public String iptablesSave(boolean counters) {
        return onLoop(s -> dev.simnet.netfilter.render.IptablesSave.render(netfilter.ruleSet(), counters));
    }

    /** {@code nft list ruleset} of the simulated Docker host. */
    public String nftListRuleset() {
        return onLoop(s -> dev.simnet.netfilter.render.NftRenderer.listRuleset(netfilter.ruleSet()));
    }

    /**
     * {@code docker stop}/{@code start} as the datapath sees it: the host-side ports of
     * {@code container}'s namespace go down (frames towards it are dropped and counted) or up again,
     * and Docker's rules follow ({@link #setRunning}).
     */
    public void setContainerLinks(String container, boolean up) {
        setRunning(container, up, -1);
    }

    /** Containers stopped ({@link #setRunning}): the live plan keeps their endpoints (their TAPs stay), the rules do not. */
    private final java.util.Set<String> stopped = new java.util.LinkedHashSet<>();

    /**
     * {@code docker stop} ({@code running} false) or {@code start} of {@code container}: the host-side
     * ports of its namespace go down or up again, and Docker's rules are reloaded without or with its
     * published ports (DNAT, filter ACCEPT, raw DROP, hairpin MASQUERADE — Docker deletes them with the
     * endpoints on stop and adds them again on start). On start, {@code portsSeq} (the control plane's
     * {@link ContainerPlan#portsSeq()}; negative to keep the current one) places its rules after those
     * of containers started before it, as Docker appends them. The TAPs and their addresses stay (the
     * container keeps the endpoints the live plan has).
     */
    public void setRunning(String container, boolean running, long portsSeq) {
        ContainerPlan c = plan().container(container).orElseThrow(() -> new IllegalArgumentException("no container " + container));
        ContainerPlan owner = plan().container(c.netns()).orElse(c);
        List<String> names = new ArrayList<>();
        for (EndpointPlan e : endpointsOf(owner)) {
            names.add(e.hostVeth());
        }
        onLoop(s -> {
            for (String n : names) {
                host.setUp(n, running);
            }
            if (running) {
                stopped.remove(container);
                if (portsSeq >= 0) {
                    ContainerPlan now = live.container(container).orElseThrow();
                    replacePlan(now.withPortsSeq(portsSeq));
                    return null;
                }
            } else {
                stopped.add(container);
            }
            loadRules(live);
            return null;
        });
    }

    /**
     * {@code docker start} gives the container's endpoints new MACs (Docker 28+ makes them at random for
     * every new sandbox): the TAPs, which outlive the stop here, take the MACs of {@code started} (the
     * control plane's view after the start), as the new veths would have them, so {@code docker inspect},
     * the container's {@code ip link} and the frames agree. Endpoints are matched by network.
     */
    public void renewMacs(ContainerPlan started) {
        ContainerPlan cur = plan().container(started.name()).orElseThrow(() -> new IllegalArgumentException("no container " + started.name()));
        if (!cur.ownsNamespace()) {
            return;
        }
        List<EndpointPlan> eps = new ArrayList<>();
        boolean changed = false;
        for (EndpointPlan le : cur.endpoints()) {
            EndpointPlan ne = started.endpoints().stream().filter(x -> x.network().equals(le.network())).findFirst().orElse(null);
            if (ne == null || ne.mac() == null || ne.mac().equals(le.mac())) {
                eps.add(le);
                continue;
            }
            String mac = ne.mac().toString().toLowerCase(java.util.Locale.ROOT);
            dev.simnet.linux.CommandResult r = kernel.exec(started.name(), java.time.Duration.ofSeconds(10),
                    "ip", "link", "set", "dev", le.ifname(), "address", mac);
            if (!r.ok()) {
                throw new IllegalStateException("cannot give " + started.name() + "'s " + le.ifname() + " its new MAC " + mac + ": "
                        + r.stderr().strip());
            }
            eps.add(new EndpointPlan(le.network(), le.ifname(), le.address(), le.prefixLength(), ne.mac(), le.hostVeth(), le.aliases()));
            changed = true;
        }
        if (changed) {
            onLoop(s -> {
                replacePlan(cur.withEndpoints(eps));
                return null;
            });
        }
    }

    /** On the loop: Docker's rules for {@code p}, without the port mappings of stopped containers. */
    private void loadRules(TopologyPlan p) {
        TopologyPlan r = p;
        if (!stopped.isEmpty()) {
            List<ContainerPlan> cs = new ArrayList<>();
            for (ContainerPlan x : p.containers()) {
                cs.add(stopped.contains(x.name()) ? x.withEndpoints(List.of()) : x);
            }
            r = new TopologyPlan(p.project(), p.networks(), cs, p.userlandProxy(), p.hostUpstreams(), p.seed());
        }
        netfilter.load(DockerRules.hostRules(r));
    }

    /**
     * {@code docker network connect}: {@code container} (the plan after the connect, holding {@code e})
     * gets a TAP named {@code e.ifname()} with the endpoint's MAC in its namespace, up, with the address
     * and — only if the namespace has no default route yet and the network is not internal — a default
     * route via the gateway ({@link LinuxTopology#connect}); the engine gets its port {@code e.hostVeth()}
     * enslaved to the network's bridge (hairpin without the userland proxy, as at build), and Docker's
     * rules are reloaded for the new plan (published ports follow the endpoints). The TAP lives in the
     * run's recorded namespace and dies with its fd, like the build's TAPs, so crash cleanup covers it.
     * DNS records are the caller's (the embedded DNS belongs to the kernel side).
     */
    public void connect(ContainerPlan container, EndpointPlan e) {
        if (!bridges.containsKey(e.network())) {
            throw new IllegalArgumentException("unknown network " + e.network());
        }
        if (ports.containsKey(e.hostVeth()) || taps.containsKey(e.hostVeth())) {
            throw new IllegalArgumentException(container.name() + " already has endpoint " + e.hostVeth());
        }
        String owner = ownerOf(container.name());
        kernel.connect(owner, e);
        TapDevice tap = taps.get(e.hostVeth());
        if (tap == null) {
            throw new IllegalStateException("no TAP made for " + e.hostVeth());
        }
        try {
            onLoop(s -> {
                TapPort port = addPort(e, tap);
                capture(port);
                replacePlan(container);
                startPort(port);
                return null;
            });
        } catch (RuntimeException ex) {
            taps.remove(e.hostVeth());
            tap.close();
            throw ex;
        }
    }

    /**
     * {@code docker network disconnect}: the endpoint's port leaves its bridge and the engine (its FDB
     * entries flushed; the host's neighbour entries stay, they belong to the bridge, as in Linux), the
     * TAP is closed — the kernel removes the interface with its address, routes and neighbours — and
     * Docker's rules are reloaded for {@code container} (the plan after the disconnect).
     */
    public void disconnect(ContainerPlan container, EndpointPlan e) {
        TapPort port = onLoop(s -> {
            TapPort p = ports.remove(e.hostVeth());
            if (p == null) {
                throw new IllegalArgumentException(container.name() + " has no endpoint " + e.hostVeth());
            }
            p.setIngressImpairment(null, null, null);
            if (poller != null) {
                poller.remove(p);
            }
            s.deleteLink(host, e.hostVeth());
            replacePlan(container);
            return p;
        });
        port.stop();
        taps.remove(e.hostVeth());
    }

    private String ownerOf(String container) {
        ContainerPlan c = live.container(container).orElseThrow(() -> new IllegalArgumentException("no container " + container));
        return live.container(c.netns()).map(ContainerPlan::name).orElse(c.name());
    }

    /** On the loop: {@code c} replaces its namespace in the live plan, and Docker's rules follow it. */
    private void replacePlan(ContainerPlan c) {
        TopologyPlan p = live;
        TopologyPlan n = p.withContainer(c);
        loadRules(n);
        live = n;
    }

    /**
     * A link impairment as the simulator applies one ({@code Simulation.setLinkImpairment}): the same
     * netem on both directions, each with its own random stream. {@code hostIfname} is a container
     * endpoint's host-side port or {@code "eth0"} for the uplink; {@code farNs}/{@code farIf} name the
     * other end (the container's namespace and interface, or the internet's {@code eth0}) for its stream
     * {@code netem/FARNS/FARIF}. Towards the far end: the port's egress qdisc; from it: netem on the
     * frames read from its TAP, before they enter the engine. No real {@code tc} is involved. Null
     * removes both.
     */
    public void setLinkImpairment(String hostIfname, String farNs, String farIf, dev.simnet.link.Netem netem) {
        TapPort p = port(hostIfname);
        onLoop(s -> {
            s.setImpairment(host, hostIfname, netem);
            p.setIngressImpairment(netem, s.scheduler(), s.streams().stream("netem/" + farNs + "/" + farIf));
            return null;
        });
    }

    /**
     * {@code tc qdisc replace dev IF root netem …} on a device of the simulated Docker host (a
     * container's host-side port or the uplink {@code eth0}): shapes frames the engine sends out of it.
     * Null removes the impairment.
     */
    public void setImpairment(String hostIfname, dev.simnet.link.Netem netem) {
        onLoop(s -> s.setImpairment(host, hostIfname, netem));
    }

    /** A device of the simulated Docker host (for counters); read it through {@link #onLoop}. */
    public Namespace hostNamespace() {
        return host;
    }

    /** Runs {@code cmd} in {@code container}'s real namespace ({@code ip netns exec}, with its /etc/netns files). */
    public CommandResult exec(String container, Duration timeout, String... cmd) {
        return kernel.exec(container, timeout, cmd);
    }

    /** Runs {@code cmd} in the real internet namespace. */
    public CommandResult execInternet(Duration timeout, String... cmd) {
        return kernel.execInternet(timeout, cmd);
    }

    /** Starts a long-running real process in {@code container}'s namespace (killed on close). */
    public Process spawn(String container, List<String> cmd) {
        return kernel.spawn(container, cmd);
    }

    /** Stops the engine, closes the TAPs (removing the interfaces), flushes captures, removes the kernel objects. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            runner.stop();
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<TapPort> all;
            synchronized (ports) {
                all = new ArrayList<>(ports.values());
            }
            for (TapPort p : all) {
                p.stop();
            }
            if (poller != null && !loop.isAlive()) {
                poller.close();
            }
            for (AutoCloseable c : captures) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        } finally {
            synchronized (taps) {
                taps.values().forEach(TapDevice::close);
            }
            kernel.close();
        }
    }
}
