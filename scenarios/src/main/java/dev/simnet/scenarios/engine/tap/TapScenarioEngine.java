package dev.simnet.scenarios.engine.tap;

import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.topology.PlanRecords;
import dev.simnet.link.Netem;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.Impairment;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.linux.LinuxScenarioEngine;
import dev.simnet.scenarios.sim.apps.DockerProxy;
import dev.simnet.tap.TapBackend;
import dev.simnet.tap.TapNetwork;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --backend tap} engine: containers are real namespaces running the same programs and
 * real tools as {@code --backend linux} (it reuses {@link LinuxScenarioEngine} for programs, exec and
 * DNS records), but their {@code eth0} is a TAP into simnet's engine, which simulates the Docker host
 * — bridges, routing, Docker's rules, conntrack and NAT — in wall-clock time ({@link TapNetwork}).
 * On the host target, whose namespace is simulated, state commands ({@code conntrack -L},
 * {@code iptables-save}, {@code nft list ruleset}, {@code ip addr|route|neigh}, {@code ip -s link},
 * {@code bridge fdb|link}, {@code ss}) are rendered from the engine; programs (curl, lsns, nsenter…) are
 * not available there (exit 127 with the reason).
 * {@code docker network connect/disconnect} add and remove a TAP endpoint ({@link TapNetwork#connect});
 * impairments are netem in the engine on both directions of the link ({@link TapNetwork#setLinkImpairment}).
 */
public final class TapScenarioEngine implements ScenarioEngine {
    private final long seed;
    private final LinuxScenarioEngine delegate;
    private TapNetwork net;
    private Path captureDir;
    private TopologyPlan plan;
    private final java.util.Map<String, List<DockerProxy>> proxies = new java.util.LinkedHashMap<>();

    TapScenarioEngine(long seed) {
        this.seed = seed;
        this.delegate = new LinuxScenarioEngine(p -> {
            TapNetwork.Options o = TapNetwork.Options.defaults().withSeed(seed);
            if (captureDir != null) {
                o = o.withCapture(captureDir);
            }
            net = TapBackend.build(p, o);
            return net.kernel();
        });
    }

    /** The TAP run (after {@link #build}). */
    public TapNetwork network() {
        return net;
    }

    @Override
    public void build(TopologyPlan p) {
        this.plan = p;
        delegate.build(p);
        if (p.userlandProxy()) {
            for (ContainerPlan c : p.containers()) {
                startProxies(c);
            }
        }
    }

    /**
     * docker-proxy in the simulated Docker host, one per published TCP port (the simulator's
     * {@link DockerProxy} on the engine's TCP stack, talking to the container's real kernel): it carries
     * connections to the gateway's published ports, hairpin included, as Docker's userland proxy does.
     */
    private void startProxies(ContainerPlan c) {
        EndpointPlan ep = c.endpoints().stream()
                .filter(e -> plan.network(e.network()).map(n -> !n.internal()).orElse(false))
                .findFirst().orElse(null);
        if (ep == null) {
            return;
        }
        List<DockerProxy> mine = new ArrayList<>();
        for (PortPlan pp : c.ports()) {
            if (!pp.protocol().equals("tcp")) {
                continue;
            }
            int pid = 7000 + proxies.size() + mine.size();
            EndpointPlan e = ep;
            net.onLoop(s -> {
                try {
                    mine.add(new DockerProxy(net.hostStack(), pp.hostIp().bits(), pp.hostPort(), e.address().bits(),
                            pp.containerPort(), pid));
                } catch (RuntimeException ex) {
                    // port already bound: Docker would have refused to start the container
                }
                return null;
            });
        }
        proxies.put(c.name(), mine);
    }

    @Override
    public ExecResult exec(ExecTarget target, List<String> argv) {
        if (target.kind() != ExecTarget.Kind.HOST) {
            return delegate.exec(target, argv);
        }
        if (argv.isEmpty()) {
            return ExecResult.fail(127, ": command not found\n");
        }
        String cmd = String.join(" ", argv);
        if (argv.get(0).equals("conntrack") && argv.contains("-L")) {
            String list = net.conntrackList();
            long n = list.lines().count();
            return new ExecResult(0, list, "conntrack v1.4.7 (conntrack-tools): " + n + " flow entries have been shown.\n");
        }
        if (cmd.equals("iptables-save") || cmd.equals("iptables-save -c")) {
            return new ExecResult(0, net.iptablesSave(argv.contains("-c")), "");
        }
        if (cmd.equals("nft list ruleset")) {
            return new ExecResult(0, net.nftListRuleset(), "");
        }
        String state = hostState(argv);
        if (state != null) {
            return new ExecResult(0, state, "");
        }
        return ExecResult.fail(127, argv.get(0) + ": not available on the TAP backend's simulated Docker host "
                + "(" + HOST_COMMANDS + " are)\n");
    }

    /** The host commands answered from the engine's state. */
    static final String HOST_COMMANDS = "conntrack -L, iptables-save, nft list ruleset, ip [-j] addr|route|neigh, ip -s link, "
            + "bridge [-j] fdb, bridge link, ss";

    /** {@code ip}, {@code bridge} and {@code ss} of the simulated host, rendered as iproute2 prints them; null if not one. */
    private String hostState(List<String> argv) {
        dev.simnet.ns.Namespace h = net.hostNamespace();
        String cmd = String.join(" ", argv);
        return switch (cmd) {
            case "ip addr", "ip a", "ip addr show", "ip address", "ip address show" ->
                    net.onLoop(s -> dev.simnet.ns.render.IpRender.ipAddr(h));
            case "ip route", "ip r", "ip route show" -> net.onLoop(s -> dev.simnet.ns.render.IpRender.ipRoute(h));
            case "ip neigh", "ip n", "ip neigh show" -> net.onLoop(s -> dev.simnet.ns.render.IpRender.ipNeigh(h));
            case "ip -s link", "ip -s link show" -> net.onLoop(s -> dev.simnet.ns.render.IpRender.ipSLink(h));
            case "bridge fdb", "bridge fdb show" -> net.onLoop(s -> dev.simnet.ns.render.IpRender.bridgeFdb(h, s.now()));
            case "ip -j -4 addr", "ip -4 -j addr", "ip -j addr", "ip -j addr show" ->
                    net.onLoop(s -> dev.simnet.ns.render.IpRender.ipJAddr(h));
            case "ip -j route", "ip -j route show" ->
                    net.onLoop(s -> dev.simnet.scenarios.sim.tools.StateTools.routeJson(dev.simnet.ns.render.IpRender.ipRoute(h)));
            case "ip -j neigh", "ip -j neigh show" -> net.onLoop(s -> dev.simnet.ns.render.IpRender.ipNeigh(h, null, true));
            case "bridge -j fdb", "bridge -j fdb show" ->
                    net.onLoop(s -> dev.simnet.ns.render.IpRender.bridgeFdb(h, s.now(), null, null, true));
            case "bridge link", "bridge link show" -> net.onLoop(s -> dev.simnet.ns.render.IpRender.bridgeLink(h));
            default -> argv.size() <= 2 && argv.get(0).equals("ss")
                    ? net.onLoop(s -> dev.simnet.host.SsRenderer.render(net.hostStack().sockets(), argv.size() == 2 ? argv.get(1) : ""))
                    : null;
        };
    }

    @Override
    public void advance(long nanos) {
        delegate.advance(nanos);
    }

    @Override
    public long now() {
        return delegate.now();
    }

    @Override
    public void stop(ContainerPlan container) {
        delegate.stop(container);
        net.setContainerLinks(container.name(), false);
    }

    @Override
    public void start(ContainerPlan container) {
        net.setContainerLinks(container.name(), true);
        // Docker 28+: the interface that comes up again announces itself (3 gratuitous ARPs, 1 s apart, in the background)
        for (EndpointPlan e : container.endpoints()) {
            net.kernel().announce(container.name(), e);
        }
        if (net.kernel().dnsRecords() != null) {
            net.kernel().dnsRecords().start(PlanRecords.container(container));
        }
        delegate.startPrograms(container);
    }

    @Override
    public void connect(ContainerPlan container, EndpointPlan endpoint) {
        net.connect(container, endpoint);
        plan = net.plan();
        if (net.kernel().dnsRecords() != null) {
            net.kernel().dnsRecords().connect(container.name(),
                    new DnsEndpoint(endpoint.network(), endpoint.address(), endpoint.aliases()));
        }
    }

    @Override
    public void disconnect(ContainerPlan container, EndpointPlan endpoint) {
        if (net.kernel().dnsRecords() != null) {
            net.kernel().dnsRecords().disconnect(container.name(), endpoint.network());
        }
        net.disconnect(container, endpoint);
        plan = net.plan();
    }

    /**
     * As the simulator: the same netem on both directions of the link, each with its own random stream —
     * both in the engine, since the whole link (TAP fd to bridge) is this backend's datapath: towards the
     * container on the host-side port's egress, from the container on the frames read from its TAP.
     * The uplink likewise (the internet namespace's end is a TAP too). No real {@code tc} is run.
     */
    @Override
    public void impair(Impairment imp) {
        Netem netem = imp.clear() ? null : toNetem(imp);
        if (imp.uplink()) {
            net.setLinkImpairment(InternetPlan.HOST_UPLINK_IFNAME, INTERNET_NS, InternetPlan.ROUTER_UPLINK_IFNAME, netem);
            return;
        }
        ContainerPlan c = plan.containers().stream()
                .filter(x -> x.service().equals(imp.service()) && x.replica() == Math.max(1, imp.replica()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no container for " + imp.link()));
        ContainerPlan owner = plan.container(c.netns()).orElse(c);
        EndpointPlan e = owner.endpoints().stream()
                .filter(x -> imp.network() == null || x.network().equals(imp.network())
                        || x.network().equals(plan.project() + "_" + imp.network()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no endpoint for " + imp.link()));
        net.setLinkImpairment(e.hostVeth(), owner.name(), e.ifname(), netem);
    }

    /** The internet namespace's name in random stream names: the simulator's. */
    private static final String INTERNET_NS = dev.simnet.scenarios.sim.SimEngine.INTERNET_NS;

    private static Netem toNetem(Impairment i) {
        Netem n = Netem.none();
        if (i.delayNanos() > 0 || i.jitterNanos() > 0) {
            n = n.withDelay(i.delayNanos(), i.jitterNanos(), Netem.Distribution.NORMAL);
        }
        if (i.lossPercent() > 0) {
            n = n.withLoss(i.lossPercent());
        }
        if (i.duplicatePercent() > 0) {
            n = n.withDuplicate(i.duplicatePercent());
        }
        if (i.corruptPercent() > 0) {
            n = n.withCorrupt(i.corruptPercent());
        }
        if (i.reorderPercent() > 0) {
            n = n.withReorder(i.reorderPercent(), 0);
        }
        if (i.rateBitsPerSecond() > 0) {
            n = n.withRate(i.rateBitsPerSecond());
        }
        if (i.limitPackets() > 0 && i.limitPackets() != 1000) {
            n = n.withLimit(i.limitPackets());
        }
        return n;
    }

    @Override
    public void capture(Path dir) {
        if (net != null) {
            throw new UnsupportedOperationException("on the TAP backend, capture must be requested before the build");
        }
        this.captureDir = dir;
    }

    @Override
    public void close() {
        try {
            if (net != null) {
                net.close();
            }
        } finally {
            delegate.close();
        }
    }
}
