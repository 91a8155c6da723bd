package dev.simnet.scenarios.docker;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.scenarios.compose.Location;
import dev.simnet.scenarios.compose.NetworkSpec;
import dev.simnet.scenarios.compose.PortSpec;
import dev.simnet.scenarios.compose.ServiceNetworkSpec;
import dev.simnet.scenarios.compose.ServiceSpec;
import dev.simnet.sched.RandomStreams;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Docker daemon and compose as data: from a parsed compose file and a seed it creates what
 * {@code docker compose up} would — the default {@code bridge} network (docker0), the project's
 * networks with Docker's IPAM, containers in dependency order with names, ids, hostnames,
 * endpoints (addresses, MACs, veth names), published ports — and returns a {@link DockerProject}
 * whose {@link DockerProject#plan()} every backend builds from. Everything random comes from the
 * seed, so the same file and seed give the same plan.
 */
public final class ControlPlane {
    /** First port of Linux's default ephemeral range, where Docker's port allocator starts. */
    public static final int EPHEMERAL_START = 32768;
    /** Last port of Linux's default ephemeral range. */
    public static final int EPHEMERAL_END = 60999;

    private ControlPlane() {
    }

    /** Builds the project with default daemon options and the given seed. */
    public static DockerProject build(ComposeFile compose, long seed) {
        return build(compose, DockerOptions.defaults().withSeed(seed));
    }

    /** Builds the project. Throws {@link dev.simnet.scenarios.compose.ComposeException} for what the daemon would refuse. */
    public static DockerProject build(ComposeFile compose, DockerOptions options) {
        RandomStreams rs = new RandomStreams(options.seed());
        DockerProject p = new DockerProject(compose, options, rs);
        Ipam ipam = p.ipam;

        // docker0: the daemon's default bridge, created when the daemon started (an hour before the project).
        Ipv4Cidr bridgeSubnet = ipam.allocate();
        Map<String, String> bridgeOpts = new LinkedHashMap<>();
        bridgeOpts.put("com.docker.network.bridge.default_bridge", "true");
        bridgeOpts.put("com.docker.network.bridge.enable_icc", "true");
        bridgeOpts.put("com.docker.network.bridge.enable_ip_masquerade", "true");
        bridgeOpts.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
        bridgeOpts.put("com.docker.network.bridge.name", "docker0");
        bridgeOpts.put("com.docker.network.driver.mtu", "1500");
        p.addNetwork("bridge", "bridge", "docker0", bridgeSubnet, null, null, Map.of(), false, true, true, false,
                -3_600_000_000_000L, bridgeOpts, Map.of(), false, false);

        // user-configured subnets are claimed first; a clash is the daemon's "Pool overlaps" error.
        List<NetworkSpec> order = new ArrayList<>();
        compose.networks().values().stream().filter(NetworkSpec::external).forEach(order::add);
        compose.networks().values().stream().filter(n -> !n.external()).forEach(order::add);
        for (NetworkSpec n : order) {
            if (n.subnet() != null) {
                Ipv4Cidr sn = Ipv4Cidr.parse(n.subnet());
                Ipv4Cidr clash = ipam.overlapping(sn);
                if (clash != null) {
                    throw at(n).error("subnet " + sn + " of network \"" + n.name() + "\" overlaps " + clash
                            + (clash.equals(bridgeSubnet) ? " (the default bridge docker0)" : " (another network)")
                            + ": Pool overlaps with other one on this address space");
                }
                ipam.reserve(sn);
            }
        }
        long t = -2_000_000_000L; // compose up runs just before virtual time 0
        for (NetworkSpec n : order) {
            Ipv4Cidr sn = n.subnet() != null ? Ipv4Cidr.parse(n.subnet()) : ipam.allocate();
            if (sn == null) {
                throw at(n).error("no free address pool left for network \"" + n.name() + "\" (all default pools are in use)");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (!n.external()) {
                labels.put("com.docker.compose.config-hash", p.hex("config-hash/" + n.name(), 64));
                labels.put("com.docker.compose.network", n.key());
                labels.put("com.docker.compose.project", compose.project());
                labels.put("com.docker.compose.version", "2.40.3");
            }
            labels.putAll(n.labels());
            long created = n.external() ? -1_800_000_000_000L : t;
            if (!n.external()) {
                t += 20_000_000L;
            }
            p.addNetwork(n.name(), n.key(), n.bridgeName(), sn, n.gateway(), n.ipRange(), n.auxAddresses(), n.internal(),
                    n.icc(), false, n.external(), created, new LinkedHashMap<>(n.driverOpts()), labels,
                    n.subnet() != null, n.attachable());
        }

        // containers, dependencies first; ties in file order.
        List<ServiceSpec> services = startOrder(compose);
        long ct = t + 100_000_000L;
        Set<String> boundPorts = new HashSet<>();
        int[] nextEphemeral = {EPHEMERAL_START};
        for (ServiceSpec s : services) {
            for (PortSpec ps : s.ports()) {
                if (ps.hostStart() != 0 && !(ps.count() == 1 && ps.hostEnd() > ps.hostStart())) {
                    for (int hp = ps.hostStart(); hp <= ps.hostEnd(); hp++) {
                        boundPorts.add(hp + "/" + ps.protocol());
                    }
                }
            }
        }
        for (ServiceSpec s : services) {
            for (int r = 1; r <= s.replicas(); r++) {
                String name = s.containerName() != null ? s.containerName() : compose.project() + "-" + s.name() + "-" + r;
                p.createContainer(s, r, name, ct, resolvePorts(s, boundPorts, nextEphemeral));
                ct += 10_000_000L;
            }
        }
        return p;
    }

    private static Location at(NetworkSpec n) {
        return n.location();
    }

    private static List<PortPlan> resolvePorts(ServiceSpec s, Set<String> bound, int[] nextEphemeral) {
        List<PortPlan> out = new ArrayList<>();
        for (PortSpec ps : s.ports()) {
            Ipv4Address ip = Ipv4Address.parse(ps.hostIp());
            if (ps.hostStart() == 0) {
                for (int c = ps.containerStart(); c <= ps.containerEnd(); c++) {
                    int hp = nextEphemeral[0];
                    while (bound.contains(hp + "/" + ps.protocol())) {
                        hp++;
                    }
                    if (hp > EPHEMERAL_END) {
                        throw ps.location().error("no free ephemeral host port left");
                    }
                    nextEphemeral[0] = hp + 1;
                    bound.add(hp + "/" + ps.protocol());
                    out.add(new PortPlan(ip, hp, c, ps.protocol()));
                }
            } else if (ps.count() == 1 && ps.hostEnd() > ps.hostStart()) {
                int chosen = -1;
                for (int hp = ps.hostStart(); hp <= ps.hostEnd(); hp++) {
                    if (!bound.contains(hp + "/" + ps.protocol())) {
                        chosen = hp;
                        break;
                    }
                }
                if (chosen < 0) {
                    throw ps.location().error("every host port in " + ps.hostStart() + "-" + ps.hostEnd()
                            + " is already allocated");
                }
                bound.add(chosen + "/" + ps.protocol());
                out.add(new PortPlan(ip, chosen, ps.containerStart(), ps.protocol()));
            } else {
                for (int i = 0; i < ps.count(); i++) {
                    out.add(new PortPlan(ip, ps.hostStart() + i, ps.containerStart() + i, ps.protocol()));
                }
            }
        }
        return out;
    }

    /** Services in the order compose starts them: dependencies first, otherwise in file order. */
    public static List<ServiceSpec> startOrder(ComposeFile compose) {
        List<ServiceSpec> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        List<ServiceSpec> pending = new ArrayList<>(compose.services().values());
        while (!pending.isEmpty()) {
            ServiceSpec ready = null;
            for (ServiceSpec s : pending) {
                List<String> deps = new ArrayList<>(ComposeParser.dependencies(s));
                String joined = containerModeService(compose, s);
                if (joined != null) {
                    deps.add(joined);
                }
                if (done.containsAll(deps)) {
                    ready = s;
                    break;
                }
            }
            if (ready == null) {
                throw pending.get(0).location().error("dependency cycle among services " + pending.stream()
                        .map(ServiceSpec::name).toList());
            }
            out.add(ready);
            done.add(ready.name());
            pending.remove(ready);
        }
        return out;
    }

    /** For {@code network_mode: container:NAME}, the project service whose container is NAME (or null). */
    static String containerModeService(ComposeFile compose, ServiceSpec s) {
        String mode = s.networkMode();
        if (mode == null || !mode.startsWith("container:")) {
            return null;
        }
        String ref = mode.substring(10);
        for (ServiceSpec o : compose.services().values()) {
            if (o == s) {
                continue;
            }
            if (ref.equals(o.containerName())) {
                return o.name();
            }
            for (int r = 1; r <= o.replicas(); r++) {
                if (ref.equals(compose.project() + "-" + o.name() + "-" + r)) {
                    return o.name();
                }
            }
        }
        return null;
    }

    /** A service's networks in compose's attach order: priority (highest first), then name. */
    public static List<ServiceNetworkSpec> attachOrder(ServiceSpec s) {
        List<ServiceNetworkSpec> l = new ArrayList<>(s.networks().values());
        l.sort(Comparator.comparingInt(ServiceNetworkSpec::priority).reversed().thenComparing(ServiceNetworkSpec::key));
        return l;
    }

    /** A random locally-administered unicast MAC (Docker 28+), from {@code r}. */
    public static MacAddress randomMac(SplittableRandom r) {
        long bits = r.nextLong() & 0xffff_ffff_ffffL;
        bits &= ~(1L << 40); // unicast
        bits |= 1L << 41; // locally administered
        return MacAddress.of(bits);
    }

    /** The pre-28 MAC: 02:42 followed by the IPv4 address. */
    public static MacAddress legacyMac(Ipv4Address a) {
        return MacAddress.of(0x0242_0000_0000L | (a.bits() & 0xffff_ffffL));
    }

    static NetworkPlan plan(NetworkInfo n) {
        return n.plan();
    }

    static ContainerPlan withEndpoints(ContainerPlan c, List<EndpointPlan> eps) {
        return c.withEndpoints(eps);
    }
}
