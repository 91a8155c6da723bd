package dev.simnet.scenarios.docker;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.scenarios.compose.ComposeException;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ServiceNetworkSpec;
import dev.simnet.scenarios.compose.ServiceSpec;
import dev.simnet.sched.RandomStreams;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The simulated daemon's state for one compose project: networks (with their IPAM), containers
 * and their endpoints, plus what {@code docker inspect} shows beyond the plan. Built by
 * {@link ControlPlane#build}; {@link #plan()} is the current {@link TopologyPlan}. Runtime
 * changes ({@link #stop}, {@link #start}, {@link #connect}, {@link #disconnect}) update it the way
 * the daemon would (addresses released and re-allocated lowest-free, new random MACs on a new
 * endpoint).
 */
public final class DockerProject {
    private final ComposeFile compose;
    private final DockerOptions options;
    private final RandomStreams rs;
    final Ipam ipam = new Ipam();
    private final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
    private final Map<String, Ipam.Subnet> subnets = new LinkedHashMap<>();
    private final Map<String, TreeSet<Integer>> pinned = new LinkedHashMap<>();
    private final Map<String, ContainerPlan> containers = new LinkedHashMap<>();
    private final Map<String, ContainerInfo> infos = new LinkedHashMap<>();
    private final Map<String, String> hostNetworkMode = new LinkedHashMap<>();
    private int generation;

    DockerProject(ComposeFile compose, DockerOptions options, RandomStreams rs) {
        this.compose = compose;
        this.options = options;
        this.rs = rs;
    }

    /** The parsed compose file. */
    public ComposeFile compose() {
        return compose;
    }

    /** The daemon options used. */
    public DockerOptions options() {
        return options;
    }

    /** The project name. */
    public String project() {
        return compose.project();
    }

    /** The current plan: networks (docker0 first), containers in start order. */
    public TopologyPlan plan() {
        List<NetworkPlan> nets = new ArrayList<>();
        for (NetworkInfo n : networks.values()) {
            nets.add(n.plan());
        }
        return new TopologyPlan(compose.project(), List.copyOf(nets), List.copyOf(containers.values()),
                options.userlandProxy(), options.hostUpstreams(), options.seed());
    }

    /** Networks by Docker name, docker0's {@code bridge} first. */
    public Map<String, NetworkInfo> networks() {
        return java.util.Collections.unmodifiableMap(networks);
    }

    /** Daemon-side facts about container {@code name}. */
    public Optional<ContainerInfo> info(String name) {
        return Optional.ofNullable(infos.get(name));
    }

    /** The container called {@code name}. */
    public Optional<ContainerPlan> container(String name) {
        return Optional.ofNullable(containers.get(name));
    }

    /** {@code HostConfig.NetworkMode} as Docker reports it (the first network's name for compose services). */
    public String hostConfigNetworkMode(String container) {
        return hostNetworkMode.getOrDefault(container, "bridge");
    }

    /** The containers of {@code service}, replica 1 first. */
    public List<ContainerPlan> containersOf(String service) {
        List<ContainerPlan> out = new ArrayList<>();
        for (ContainerPlan c : containers.values()) {
            if (c.service().equals(service)) {
                out.add(c);
            }
        }
        out.sort(java.util.Comparator.comparingInt(ContainerPlan::replica));
        return out;
    }

    /**
     * Finds a container the way {@code docker} does: exact name, then id or id prefix, then (for
     * convenience) a compose service name meaning its first replica.
     */
    public Optional<ContainerPlan> resolveContainer(String ref) {
        String r = ref.startsWith("/") ? ref.substring(1) : ref;
        if (containers.containsKey(r)) {
            return Optional.of(containers.get(r));
        }
        if (r.matches("[0-9a-f]{3,64}")) {
            for (ContainerPlan c : containers.values()) {
                if (c.id().startsWith(r)) {
                    return Optional.of(c);
                }
            }
        }
        List<ContainerPlan> svc = containersOf(r);
        return svc.isEmpty() ? Optional.empty() : Optional.of(svc.get(0));
    }

    /** Finds a network by name, id prefix, or compose key. */
    public Optional<NetworkInfo> resolveNetwork(String ref) {
        if (networks.containsKey(ref)) {
            return Optional.of(networks.get(ref));
        }
        for (NetworkInfo n : networks.values()) {
            if (ref.length() >= 3 && n.plan().id().startsWith(ref)) {
                return Optional.of(n);
            }
        }
        for (NetworkInfo n : networks.values()) {
            if (!n.plan().defaultBridge() && n.plan().key().equals(ref) && !n.plan().external()) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------- building

    String hex(String name, int len) {
        SplittableRandom r = rs.stream("docker/" + name);
        StringBuilder sb = new StringBuilder(len + 16);
        while (sb.length() < len) {
            sb.append(String.format(Locale.ROOT, "%016x", r.nextLong()));
        }
        return sb.substring(0, len);
    }

    void addNetwork(String name, String key, String bridgeName, Ipv4Cidr subnet, String gateway, String ipRange,
                    Map<String, String> aux, boolean internal, boolean icc, boolean defaultBridge, boolean external,
                    long created, Map<String, String> opts, Map<String, String> labels, boolean configured,
                    boolean attachable) {
        String id = hex("network/" + name, 64);
        String bridge = bridgeName != null ? bridgeName : "br-" + id.substring(0, 12);
        Ipv4Cidr range = ipRange != null ? Ipv4Cidr.parse(ipRange) : null;
        Ipam.Subnet sub = new Ipam.Subnet(subnet, range);
        for (String a : aux.values()) {
            sub.take(Ipv4Address.parse(a));
        }
        Ipv4Address gw;
        if (gateway != null) {
            gw = Ipv4Address.parse(gateway);
            sub.take(gw);
        } else {
            gw = sub.next();
        }
        TreeSet<Integer> pins = new TreeSet<>(Integer::compareUnsigned);
        for (ServiceSpec s : compose.services().values()) {
            ServiceNetworkSpec sn = s.networks().get(key);
            if (sn != null && sn.ipv4Address() != null && !defaultBridge) {
                Ipv4Address a = Ipv4Address.parse(sn.ipv4Address());
                if (!sub.take(a)) {
                    throw sn.location().error("ipv4_address " + a + " is already in use on network \"" + name + "\"");
                }
                pins.add(a.bits());
            }
        }
        pinned.put(name, pins);
        subnets.put(name, sub);
        MacAddress bridgeMac = ControlPlane.randomMac(rs.stream("docker/bridge-mac/" + name));
        NetworkPlan plan = new NetworkPlan(name, key, id, bridge, subnet.canonical(), gw,
                range != null ? range : subnet.canonical(), bridgeMac, internal, icc, defaultBridge, external);
        networks.put(name, new NetworkInfo(plan, created, opts, labels, configured, attachable));
    }

    private NetworkInfo networkForKey(String key) {
        for (NetworkInfo n : networks.values()) {
            if (!n.plan().defaultBridge() && n.plan().key().equals(key)) {
                return n;
            }
        }
        throw new IllegalStateException("no network with key " + key);
    }

    void createContainer(ServiceSpec s, int replica, String name, long created, List<PortPlan> ports) {
        if (containers.containsKey(name)) {
            throw s.location().error("container name \"" + name + "\" is already in use");
        }
        String id = hex("container/" + name, 64);
        String mode = s.networkMode() == null ? null : s.networkMode();
        String netns = name;
        String planMode = "bridge";
        String hostname = s.hostname() != null ? s.hostname() : id.substring(0, 12);
        List<EndpointPlan> eps = new ArrayList<>();
        List<PortPlan> published = ports;
        String hcMode;
        if (mode != null && (mode.startsWith("service:") || mode.startsWith("container:"))) {
            ContainerPlan owner;
            if (mode.startsWith("service:")) {
                List<ContainerPlan> of = containersOf(mode.substring(8));
                owner = of.get(0);
            } else {
                String ref = mode.substring(10);
                owner = resolveContainer(ref).orElseThrow(() -> s.at("network_mode").error(
                        "no such container: \"" + ref + "\" (container: must name a container of this project)"));
            }
            netns = owner.netns();
            hostname = owner.hostname();
            planMode = mode;
            published = List.of();
            hcMode = "container:" + owner.id();
        } else if ("host".equals(mode)) {
            netns = "host";
            planMode = "host";
            hostname = s.hostname() != null ? s.hostname() : options.hostHostname();
            published = List.of();
            hcMode = "host";
        } else if ("none".equals(mode)) {
            planMode = "none";
            published = List.of();
            hcMode = "none";
        } else if ("bridge".equals(mode)) {
            hcMode = "bridge";
        } else {
            hcMode = null;
        }
        long started = created + 150_000_000L;
        ContainerInfo info = new ContainerInfo(name, created, hex("sandbox/" + name, 64), started);
        infos.put(name, info);
        if ("bridge".equals(mode)) {
            eps.add(allocate(name, info, networks.get("bridge"), "eth0", List.of(), null, s.macAddress()));
        } else if (mode == null) {
            int i = 0;
            for (ServiceNetworkSpec sn : ControlPlane.attachOrder(s)) {
                NetworkInfo n = networkForKey(sn.key());
                if (hcMode == null) {
                    hcMode = n.plan().name();
                }
                String ifname = sn.interfaceName() != null ? sn.interfaceName() : "eth" + i;
                String mac = sn.macAddress() != null ? sn.macAddress() : i == 0 ? s.macAddress() : null;
                eps.add(allocate(name, info, n, ifname, sn.aliases(), sn.ipv4Address(), mac));
                i++;
            }
        }
        hostNetworkMode.put(name, hcMode);
        Map<String, String> links = new LinkedHashMap<>();
        for (Map.Entry<String, String> l : s.links().entrySet()) {
            List<ContainerPlan> target = containersOf(l.getValue());
            if (!target.isEmpty()) {
                links.put(l.getKey(), target.get(0).name());
            }
        }
        Map<String, String> extraHosts = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : s.extraHosts().entrySet()) {
            extraHosts.put(e.getKey(), e.getValue().equals("host-gateway")
                    ? networks.get("bridge").plan().gateway().toString() : e.getValue());
        }
        TreeSet<Integer> exposed = new TreeSet<>(ImageModels.exposedPorts(s.image()));
        exposed.addAll(s.expose());
        for (PortPlan p : ports) {
            exposed.add(p.containerPort());
        }
        ContainerPlan c = new ContainerPlan(name, s.name(), replica, id, hostname, netns, planMode, List.copyOf(eps),
                List.copyOf(published), List.copyOf(exposed), List.copyOf(s.dns()), extraHosts, links, s.image(),
                s.command().isEmpty() ? ImageModels.defaultCommand(s.image()) : List.copyOf(s.command()),
                ImageModels.extensions(s));
        containers.put(name, c);
    }

    private EndpointPlan allocate(String container, ContainerInfo info, NetworkInfo n, String ifname, List<String> aliases,
                                  String pinnedAddress, String mac) {
        String net = n.plan().name();
        Ipam.Subnet sub = subnets.get(net);
        Ipv4Address a;
        if (pinnedAddress != null) {
            a = Ipv4Address.parse(pinnedAddress);
            if (!pinned.get(net).contains(a.bits()) && !sub.take(a)) {
                throw new ComposeException(compose.file(), 0, 0, "", "address " + a + " already in use on " + net);
            }
        } else {
            a = sub.next();
            if (a == null) {
                throw new ComposeException(compose.file(), 0, 0, "", "no free address left in " + sub.subnet()
                        + " for " + container + " on network " + net);
            }
        }
        String salt = container + "/" + net + "/" + generation++;
        MacAddress m;
        if (mac != null) {
            m = MacAddress.parse(mac);
        } else if (options.macScheme() == DockerOptions.MacScheme.LEGACY_0242) {
            m = ControlPlane.legacyMac(a);
        } else {
            m = ControlPlane.randomMac(rs.stream("docker/mac/" + salt));
        }
        String veth = "veth" + hex("veth/" + salt, 7);
        info.endpointIds.put(net, hex("endpoint/" + salt, 64));
        return new EndpointPlan(net, ifname, a, n.plan().subnet().prefixLength(), m, veth, List.copyOf(aliases));
    }

    // ------------------------------------------------------------------------------------- runtime changes

    /** Stops a container: its endpoints are removed and their addresses freed (pinned ones stay reserved). */
    public void stop(String name, long nowNanos) {
        ContainerPlan c = containers.get(name);
        ContainerInfo info = infos.get(name);
        if (c == null || !info.running) {
            return;
        }
        info.running = false;
        info.finishedNanos = nowNanos;
        for (EndpointPlan e : c.endpoints()) {
            if (!pinned.get(e.network()).contains(e.address().bits())) {
                subnets.get(e.network()).free(e.address());
            }
        }
        info.endpointIds.clear();
        containers.put(name, ControlPlane.withEndpoints(c, List.of()));
        stoppedEndpoints.put(name, c.endpoints());
    }

    private final Map<String, List<EndpointPlan>> stoppedEndpoints = new LinkedHashMap<>();

    /** The endpoints a stopped container had (empty while running). */
    public List<EndpointPlan> stoppedEndpoints(String name) {
        return stoppedEndpoints.getOrDefault(name, List.of());
    }

    /** Starts a stopped container: new endpoints on the same networks, lowest free addresses, new MACs. */
    public void start(String name, long nowNanos) {
        ContainerPlan c = containers.get(name);
        ContainerInfo info = infos.get(name);
        if (c == null || info.running) {
            return;
        }
        info.running = true;
        info.startedNanos = nowNanos;
        info.starts++;
        List<EndpointPlan> eps = new ArrayList<>();
        for (EndpointPlan old : stoppedEndpoints.getOrDefault(name, List.of())) {
            boolean wasPinned = pinned.get(old.network()).contains(old.address().bits());
            eps.add(allocate(name, info, networks.get(old.network()), old.ifname(), old.aliases(),
                    wasPinned ? old.address().toString() : null, null));
        }
        stoppedEndpoints.remove(name);
        // Docker programs the started container's port mappings now: after every other container's
        containers.put(name, ControlPlane.withEndpoints(c, eps).withPortsSeq(++portsSeq));
    }

    /** The last {@link ContainerPlan#portsSeq()} handed out (0: nothing re-programmed since compose up). */
    private long portsSeq;

    /**
     * {@code c} after a connect/disconnect gave it {@code eps}: when the endpoint its published ports map
     * to changed (the gateway endpoint, first non-internal network), Docker moved the mappings, so they
     * now come after every other container's.
     */
    private ContainerPlan reprogrammed(ContainerPlan c, List<EndpointPlan> eps) {
        ContainerPlan n = ControlPlane.withEndpoints(c, eps);
        if (c.ports().isEmpty() || !c.ownsNamespace()) {
            return n;
        }
        TopologyPlan p = plan();
        java.util.Optional<EndpointPlan> before = dev.simnet.topology.PlanQueries.gatewayEndpoint(p, c);
        java.util.Optional<EndpointPlan> after = dev.simnet.topology.PlanQueries.gatewayEndpoint(p, n);
        boolean moved = !before.map(EndpointPlan::network).equals(after.map(EndpointPlan::network))
                || !before.map(EndpointPlan::address).equals(after.map(EndpointPlan::address));
        return moved && after.isPresent() ? n.withPortsSeq(++portsSeq) : n;
    }

    /** {@code docker network connect}: a new endpoint {@code ethN} on {@code network}; returns it. */
    public EndpointPlan connect(String container, String network, List<String> aliases, String ipv4) {
        ContainerPlan c = containers.get(container);
        NetworkInfo n = resolveNetwork(network).orElseThrow(() -> new IllegalArgumentException("network " + network + " not found"));
        if (c == null) {
            throw new IllegalArgumentException("no such container: " + container);
        }
        if (!c.ownsNamespace() || c.networkMode().equals("none")) {
            throw new IllegalArgumentException("container " + container + " cannot be connected: it uses network_mode "
                    + c.networkMode());
        }
        for (EndpointPlan e : c.endpoints()) {
            if (e.network().equals(n.plan().name())) {
                throw new IllegalArgumentException("endpoint with name " + container + " already exists in network " + n.plan().name());
            }
        }
        if (ipv4 != null && !pinned.get(n.plan().name()).contains(Ipv4Address.parse(ipv4).bits())) {
            if (!subnets.get(n.plan().name()).take(Ipv4Address.parse(ipv4))) {
                throw new IllegalArgumentException("Address already in use: " + ipv4);
            }
            pinned.get(n.plan().name()).add(Ipv4Address.parse(ipv4).bits());
        }
        EndpointPlan e = allocate(container, infos.get(container), n, "eth" + c.endpoints().size(),
                aliases == null ? List.of() : aliases, ipv4, null);
        List<EndpointPlan> eps = new ArrayList<>(c.endpoints());
        eps.add(e);
        containers.put(container, reprogrammed(c, eps));
        return e;
    }

    /** {@code docker network disconnect}: removes the endpoint and frees its address. */
    public void disconnect(String container, String network) {
        ContainerPlan c = containers.get(container);
        NetworkInfo n = resolveNetwork(network).orElseThrow(() -> new IllegalArgumentException("network " + network + " not found"));
        if (c == null) {
            throw new IllegalArgumentException("no such container: " + container);
        }
        List<EndpointPlan> eps = new ArrayList<>();
        boolean found = false;
        for (EndpointPlan e : c.endpoints()) {
            if (e.network().equals(n.plan().name())) {
                found = true;
                if (!pinned.get(e.network()).contains(e.address().bits())) {
                    subnets.get(e.network()).free(e.address());
                }
                infos.get(container).endpointIds.remove(e.network());
            } else {
                eps.add(e);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("container " + container + " is not connected to network " + n.plan().name());
        }
        containers.put(container, reprogrammed(c, eps));
    }
}
