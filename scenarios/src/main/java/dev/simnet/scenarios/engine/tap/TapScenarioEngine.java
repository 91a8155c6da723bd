package dev.simnet.scenarios.engine.tap;

import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.topology.PlanRecords;
import dev.simnet.link.Netem;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.Impairment;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.linux.LinuxScenarioEngine;
import dev.simnet.scenarios.sim.apps.PortProxy;
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
 * On the host target, whose namespace is simulated, commands run as the simulator's own tools on the
 * engine's loop in wall-clock time ({@link TapHostShell}: {@code curl localhost:8080} goes through the
 * simulated docker-proxy or Docker's OUTPUT DNAT to the real container; {@code iptables -S},
 * {@code conntrack -L}, {@code ip}, {@code ss} show the engine's state), while {@code lsns} and
 * {@code nsenter} act on the real container namespaces.
 * {@code docker network connect/disconnect} add and remove a TAP endpoint ({@link TapNetwork#connect});
 * impairments are netem in the engine on both directions of the link ({@link TapNetwork#setLinkImpairment}).
 */
public final class TapScenarioEngine implements ScenarioEngine {
    private final long seed;
    private final LinuxScenarioEngine delegate;
    private TapNetwork net;
    private Path captureDir;
    private TopologyPlan plan;
    private TapHostShell hostShell;
    private final java.util.Map<String, List<PortProxy>> proxies = new java.util.LinkedHashMap<>();
    private int nextProxyPid = 7000;

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
        hostShell = new TapHostShell(net, delegate);
        if (p.userlandProxy()) {
            for (ContainerPlan c : p.containers()) {
                startProxies(c);
            }
        }
    }

    /**
     * docker-proxy in the simulated Docker host, one per published port and protocol (the simulator's
     * {@link PortProxy} on the engine's socket layer, talking to the container's real kernel): it carries
     * connections to the gateway's published ports, hairpin included, as Docker's userland proxy does.
     */
    private void startProxies(ContainerPlan c) {
        EndpointPlan ep = c.endpoints().stream()
                .filter(e -> plan.network(e.network()).map(n -> !n.internal()).orElse(false))
                .findFirst().orElse(null);
        if (ep == null) {
            return;
        }
        List<PortProxy> mine = new ArrayList<>();
        for (PortPlan pp : c.ports()) {
            int pid = nextProxyPid++;
            EndpointPlan e = ep;
            net.onLoop(s -> {
                try {
                    mine.add(PortProxy.start(net.hostStack(), pp, e.address().bits(), pid));
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
        if (hostShell == null) {
            throw new IllegalStateException("exec before build");
        }
        return hostShell.exec(argv);
    }

    @Override
    public void sandboxKeys(java.util.function.Function<String, java.util.Optional<String>> containerOfKey) {
        delegate.sandboxKeys(containerOfKey);
    }

    @Override
    public void advance(long nanos) {
        delegate.advance(nanos);
    }

    @Override
    public long now() {
        return delegate.now();
    }

    /**
     * {@code docker stop}: the container's docker-proxy instances end (their host ports answer RST
     * again), its programs and DNS records go, its ports go down and the engine's rules lose its port
     * mappings ({@link TapNetwork#setRunning}).
     */
    @Override
    public void stop(ContainerPlan container) {
        List<PortProxy> px = proxies.remove(container.name());
        if (px != null) {
            net.onLoop(s -> {
                px.forEach(PortProxy::close);
                return null;
            });
        }
        delegate.stop(container);
        net.setRunning(container.name(), false, -1);
    }

    /**
     * {@code docker start}: ports up and the container's port mappings back in the engine's rules (after
     * those of containers started before it), then its DNS records, programs and docker-proxy instances.
     * The container keeps the TAP endpoints it had (the live plan's), which the records and proxies use.
     */
    @Override
    public void start(ContainerPlan container) {
        net.renewMacs(container);
        net.setRunning(container.name(), true, container.portsSeq());
        ContainerPlan live = net.plan().container(container.name()).orElse(container);
        plan = net.plan();
        delegate.replaceContainer(live);
        // Docker 28+: the interface that comes up again announces itself (3 gratuitous ARPs, 1 s apart, in the background)
        for (EndpointPlan e : live.endpoints()) {
            net.kernel().announce(container.name(), e);
        }
        if (net.kernel().dnsRecords() != null) {
            net.kernel().dnsRecords().start(PlanRecords.container(live));
        }
        delegate.startPrograms(live);
        if (plan.userlandProxy()) {
            startProxies(live);
        }
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
        Netem netem = imp.toNetem();
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
