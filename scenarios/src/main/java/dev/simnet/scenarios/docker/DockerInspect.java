package dev.simnet.scenarios.docker;

import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.compose.PortSpec;
import dev.simnet.scenarios.compose.ServiceSpec;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders the daemon's view of a {@link DockerProject} the way the docker CLI prints it:
 * {@code docker network ls}, {@code docker network inspect} (Docker 29's JSON shape),
 * {@code docker inspect} (with {@code -f} Go templates), {@code docker ps} and
 * {@code docker compose ps}. Times derive from the virtual epoch plus {@code nowNanos}, so output
 * is deterministic.
 */
public final class DockerInspect {
    private final DockerProject project;

    /** A renderer over {@code project}. */
    public DockerInspect(DockerProject project) {
        this.project = project;
    }

    /** Result of a docker CLI command: exit code, stdout, stderr. */
    public record Output(int exit, String stdout, String stderr) {
        static Output ok(String out) {
            return new Output(0, out, "");
        }

        static Output fail(String err) {
            return new Output(1, "", err.endsWith("\n") ? err : err + "\n");
        }
    }

    /** Go's RFC3339Nano in UTC (trailing zeros of the fraction trimmed). */
    public String time(long virtualNanos) {
        long epoch = project.options().epochSeconds();
        Instant t = Instant.ofEpochSecond(epoch, 0).plusNanos(virtualNanos);
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
        int nanos = t.getNano();
        if (nanos == 0) {
            return base + "Z";
        }
        String frac = String.format("%09d", nanos).replaceAll("0+$", "");
        return base + "." + frac + "Z";
    }

    // -------------------------------------------------------------------------------- networks

    private record Row(String id, String name, String driver) {
    }

    /** {@code docker network ls}. */
    public String networkLs() {
        List<Row> rows = new ArrayList<>();
        for (NetworkInfo n : project.networks().values()) {
            rows.add(new Row(n.plan().id(), n.plan().name(), "bridge"));
        }
        rows.add(new Row(project.hex("network/host", 64), "host", "host"));
        rows.add(new Row(project.hex("network/none", 64), "none", "null"));
        rows.sort(Comparator.comparing(Row::name));
        TextTable t = new TextTable().row("NETWORK ID", "NAME", "DRIVER", "SCOPE");
        for (Row r : rows) {
            t.row(r.id().substring(0, 12), r.name(), r.driver(), "local");
        }
        return t.render();
    }

    /** The data of {@code docker network inspect NAME} for one network. */
    public Map<String, Object> networkData(NetworkInfo info) {
        NetworkPlan n = info.plan();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", time(info.createdNanos()));
        m.put("Scope", "local");
        m.put("Driver", "bridge");
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.defaultBridge() ? null : info.configuredSubnet() ? new LinkedHashMap<>() : null);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Subnet", n.subnet().toString());
        if (info.configuredSubnet() && !n.ipRange().equals(n.subnet())) {
            cfg.put("IPRange", n.ipRange().toString());
        }
        cfg.put("Gateway", n.gateway().toString());
        ipam.put("Config", List.of(cfg));
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", info.attachable());
        m.put("Ingress", false);
        m.put("ConfigFrom", new LinkedHashMap<>(Map.of("Network", "")));
        m.put("ConfigOnly", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        for (ContainerPlan c : project.plan().containers()) {
            for (EndpointPlan e : c.endpoints()) {
                if (e.network().equals(n.name())) {
                    Map<String, Object> ce = new LinkedHashMap<>();
                    ce.put("Name", c.name());
                    ce.put("EndpointID", project.info(c.name()).map(i -> i.endpointIds().getOrDefault(n.name(), "")).orElse(""));
                    ce.put("MacAddress", e.mac().toString());
                    ce.put("IPv4Address", e.address() + "/" + e.prefixLength());
                    ce.put("IPv6Address", "");
                    containers.put(c.id(), ce);
                }
            }
        }
        m.put("Containers", containers);
        m.put("Options", new LinkedHashMap<>(info.options()));
        m.put("Labels", new LinkedHashMap<>(info.labels()));
        return m;
    }

    /** {@code docker network inspect REF…}: a JSON array, or an error for an unknown network. */
    public Output networkInspect(List<String> refs, String format) {
        List<Object> out = new ArrayList<>();
        for (String r : refs) {
            Optional<NetworkInfo> n = project.resolveNetwork(r);
            if (n.isEmpty()) {
                return Output.fail("Error response from daemon: network " + r + " not found");
            }
            out.add(networkData(n.get()));
        }
        return formatted(out, format);
    }

    private static Output formatted(List<Object> items, String format) {
        if (format == null) {
            return Output.ok(Json.pretty(items) + "\n");
        }
        StringBuilder sb = new StringBuilder();
        try {
            for (Object o : items) {
                sb.append(GoTemplate.render(format, o)).append('\n');
            }
        } catch (IllegalArgumentException e) {
            return Output.fail(e.getMessage());
        }
        return Output.ok(sb.toString());
    }

    // -------------------------------------------------------------------------------- containers

    /** The data of {@code docker inspect CONTAINER}. */
    public Map<String, Object> containerData(ContainerPlan c) {
        ContainerInfo info = project.info(c.name()).orElseThrow();
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> entry = ImageModels.entrypoint(c.image());
        List<String> cmd = c.command();
        List<String> all = new ArrayList<>(entry);
        all.addAll(cmd);
        m.put("Id", c.id());
        m.put("Created", time(info.createdNanos()));
        m.put("Path", all.isEmpty() ? "" : all.get(0));
        m.put("Args", all.isEmpty() ? List.of() : List.copyOf(all.subList(1, all.size())));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", info.running() ? "running" : "exited");
        state.put("Running", info.running());
        state.put("Paused", false);
        state.put("Restarting", false);
        state.put("OOMKilled", false);
        state.put("Dead", false);
        state.put("Pid", info.running() ? pid(c) : 0);
        state.put("ExitCode", 0);
        state.put("Error", "");
        state.put("StartedAt", time(info.startedNanos()));
        state.put("FinishedAt", info.running() ? "0001-01-01T00:00:00Z" : time(info.finishedNanos));
        m.put("State", state);
        m.put("Image", "sha256:" + project.hex("image/" + c.image(), 64));
        String root = "/var/lib/docker/containers/" + c.id();
        boolean shares = !c.ownsNamespace() && !c.netns().equals("host");
        String owner = shares ? c.netns() : c.name();
        String ownerId = project.container(owner).map(ContainerPlan::id).orElse(c.id());
        m.put("ResolvConfPath", "/var/lib/docker/containers/" + ownerId + "/resolv.conf");
        m.put("HostnamePath", "/var/lib/docker/containers/" + ownerId + "/hostname");
        m.put("HostsPath", "/var/lib/docker/containers/" + ownerId + "/hosts");
        m.put("LogPath", root + "/" + c.id() + "-json.log");
        m.put("Name", "/" + c.name());
        m.put("RestartCount", 0);
        m.put("Driver", "overlayfs");
        m.put("Platform", "linux");
        Map<String, Object> hc = new LinkedHashMap<>();
        hc.put("NetworkMode", project.hostConfigNetworkMode(c.name()));
        Map<String, Object> requested = new TreeMap<>();
        ServiceSpec svc = project.compose().services().get(c.service());
        if (svc != null && !c.ports().isEmpty()) {
            for (PortSpec ps : svc.ports()) {
                for (int i = 0; i < ps.count(); i++) {
                    String hostPort = ps.hostStart() == 0 ? ""
                            : ps.count() == 1 && ps.hostEnd() > ps.hostStart() ? ps.hostStart() + "-" + ps.hostEnd()
                            : String.valueOf(ps.hostStart() + i);
                    add(requested, (ps.containerStart() + i) + "/" + ps.protocol(),
                            binding(ps.hostIp().equals("0.0.0.0") ? "" : ps.hostIp(), hostPort));
                }
            }
        }
        hc.put("PortBindings", requested);
        Map<String, Object> bindings = new TreeMap<>();
        for (PortPlan p : c.ports()) {
            add(bindings, p.containerPort() + "/" + p.protocol(), binding(p.hostIp().toString(), String.valueOf(p.hostPort())));
        }
        hc.put("Dns", c.dns().isEmpty() ? null : c.dns());
        List<String> extra = new ArrayList<>();
        c.extraHosts().forEach((h, a) -> extra.add(h + ":" + a));
        hc.put("ExtraHosts", extra.isEmpty() ? null : extra);
        m.put("HostConfig", hc);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", c.hostname());
        config.put("Domainname", "");
        Map<String, Object> exposed = new TreeMap<>();
        for (int p : c.exposedPorts()) {
            exposed.put(p + "/tcp", new LinkedHashMap<>());
        }
        for (PortPlan p : c.ports()) {
            exposed.put(p.containerPort() + "/" + p.protocol(), new LinkedHashMap<>());
        }
        config.put("ExposedPorts", exposed);
        config.put("Cmd", cmd.isEmpty() ? null : cmd);
        config.put("Image", c.image());
        config.put("Entrypoint", entry.isEmpty() ? null : entry);
        Map<String, Object> labels = new TreeMap<>();
        labels.put("com.docker.compose.container-number", String.valueOf(c.replica()));
        labels.put("com.docker.compose.oneoff", "False");
        labels.put("com.docker.compose.project", project.project());
        labels.put("com.docker.compose.service", c.service());
        labels.put("com.docker.compose.version", "2.40.3");
        if (!c.networkMode().startsWith("service:")) {
            labels.remove("com.docker.compose.depends_on");
        }
        config.put("Labels", labels);
        m.put("Config", config);
        Map<String, Object> ns = new LinkedHashMap<>();
        boolean own = c.ownsNamespace() && !c.networkMode().equals("host");
        ns.put("SandboxID", own && info.running() ? info.sandboxId() : "");
        ns.put("SandboxKey", own && info.running() ? info.sandboxKey() : "");
        Map<String, Object> ports = new TreeMap<>();
        if (own && info.running()) {
            for (int p : c.exposedPorts()) {
                ports.put(p + "/tcp", null);
            }
            ports.putAll(bindings);
        }
        ns.put("Ports", ports);
        Map<String, Object> nets = new LinkedHashMap<>();
        List<EndpointPlan> eps = info.running() ? c.endpoints() : project.stoppedEndpoints(c.name());
        for (EndpointPlan e : eps) {
            nets.put(e.network(), endpointData(c, e, info.running()));
        }
        if (c.networkMode().equals("host")) {
            nets.put("host", hostEndpoint());
        } else if (c.networkMode().equals("none")) {
            nets.put("none", hostEndpoint());
        }
        ns.put("Networks", nets);
        m.put("NetworkSettings", ns);
        return m;
    }

    private static Map<String, Object> binding(String ip, String port) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("HostIp", ip);
        b.put("HostPort", port);
        return b;
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> m, String key, Object v) {
        ((List<Object>) m.computeIfAbsent(key, x -> new ArrayList<>())).add(v);
    }

    private int pid(ContainerPlan c) {
        return 4000 + Math.floorMod(c.id().hashCode(), 60000);
    }

    private Map<String, Object> hostEndpoint() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("IPAMConfig", null);
        e.put("Links", null);
        e.put("Aliases", null);
        e.put("MacAddress", "");
        e.put("DriverOpts", null);
        e.put("GwPriority", 0);
        e.put("NetworkID", "");
        e.put("EndpointID", "");
        e.put("Gateway", "");
        e.put("IPAddress", "");
        e.put("IPPrefixLen", 0);
        e.put("IPv6Gateway", "");
        e.put("GlobalIPv6Address", "");
        e.put("GlobalIPv6PrefixLen", 0);
        e.put("DNSNames", null);
        return e;
    }

    private Map<String, Object> endpointData(ContainerPlan c, EndpointPlan e, boolean running) {
        NetworkInfo n = project.networks().get(e.network());
        boolean user = !n.plan().defaultBridge();
        Map<String, Object> m = new LinkedHashMap<>();
        boolean pinned = project.compose().services().containsKey(c.service())
                && project.compose().services().get(c.service()).networks().containsKey(n.plan().key())
                && project.compose().services().get(c.service()).networks().get(n.plan().key()).ipv4Address() != null;
        if (pinned && user) {
            Map<String, Object> ipam = new LinkedHashMap<>();
            ipam.put("IPv4Address", e.address().toString());
            m.put("IPAMConfig", ipam);
        } else {
            m.put("IPAMConfig", null);
        }
        List<String> links = new ArrayList<>();
        if (user) {
            c.links().forEach((alias, target) -> links.add(target + ":" + alias));
        }
        m.put("Links", links.isEmpty() ? null : links);
        List<String> aliases = new ArrayList<>();
        if (user) {
            aliases.add(c.name());
            aliases.add(c.service());
            aliases.addAll(e.aliases());
        }
        m.put("Aliases", user ? aliases : null);
        m.put("MacAddress", running ? e.mac().toString() : "");
        m.put("DriverOpts", null);
        m.put("GwPriority", 0);
        m.put("NetworkID", n.plan().id());
        m.put("EndpointID", running ? project.info(c.name()).map(i -> i.endpointIds().getOrDefault(e.network(), "")).orElse("") : "");
        m.put("Gateway", running ? n.plan().gateway().toString() : "");
        m.put("IPAddress", running ? e.address().toString() : "");
        m.put("IPPrefixLen", running ? e.prefixLength() : 0);
        m.put("IPv6Gateway", "");
        m.put("GlobalIPv6Address", "");
        m.put("GlobalIPv6PrefixLen", 0);
        List<String> dnsNames = new ArrayList<>(aliases);
        dnsNames.add(c.shortId());
        m.put("DNSNames", user ? dnsNames : null);
        return m;
    }

    /** {@code docker inspect [-f FORMAT] REF…}. */
    public Output inspect(List<String> refs, String format) {
        List<Object> out = new ArrayList<>();
        for (String r : refs) {
            Optional<ContainerPlan> c = project.resolveContainer(r);
            if (c.isPresent()) {
                out.add(containerData(c.get()));
                continue;
            }
            Optional<NetworkInfo> n = project.resolveNetwork(r);
            if (n.isPresent()) {
                out.add(networkData(n.get()));
                continue;
            }
            return Output.fail("Error response from daemon: No such object: " + r);
        }
        return formatted(out, format);
    }

    // -------------------------------------------------------------------------------- ps

    /** Docker's human duration ({@code units.HumanDuration}). */
    public static String humanDuration(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }

    private String ports(ContainerPlan c) {
        List<String> parts = new ArrayList<>();
        ContainerInfo info = project.info(c.name()).orElseThrow();
        if (!info.running() || !c.ownsNamespace() || c.networkMode().equals("host")) {
            return "";
        }
        java.util.Set<String> published = new java.util.HashSet<>();
        List<PortPlan> sorted = new ArrayList<>(c.ports());
        sorted.sort(Comparator.comparingInt(PortPlan::containerPort).thenComparing(PortPlan::protocol));
        for (PortPlan p : sorted) {
            parts.add(p.hostIp() + ":" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol());
            published.add(p.containerPort() + "/" + p.protocol());
        }
        for (int p : c.exposedPorts()) {
            if (!published.contains(p + "/tcp")) {
                parts.add(p + "/tcp");
            }
        }
        return String.join(", ", parts);
    }

    private String command(ContainerPlan c) {
        List<String> all = new ArrayList<>(ImageModels.entrypoint(c.image()));
        all.addAll(c.command());
        String s = String.join(" ", all);
        if (s.codePointCount(0, s.length()) > 20) {
            s = s.substring(0, s.offsetByCodePoints(0, 19)) + "…";
        }
        return "\"" + s + "\"";
    }

    private String status(ContainerInfo info, long nowNanos) {
        if (info.running()) {
            return "Up " + humanDuration(nowNanos - info.startedNanos());
        }
        return "Exited (0) " + humanDuration(nowNanos - info.finishedNanos) + " ago";
    }

    /** {@code docker compose ps} at virtual time {@code nowNanos} (running containers only, like the real one). */
    public String composePs(long nowNanos) {
        TextTable t = new TextTable().row("NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS");
        List<ContainerPlan> cs = new ArrayList<>(project.plan().containers());
        cs.sort(Comparator.comparing(ContainerPlan::name));
        for (ContainerPlan c : cs) {
            ContainerInfo info = project.info(c.name()).orElseThrow();
            if (!info.running()) {
                continue;
            }
            t.row(c.name(), c.image(), command(c), c.service(), humanDuration(nowNanos - info.createdNanos()) + " ago",
                    status(info, nowNanos), ports(c));
        }
        return t.render();
    }

    /** {@code docker ps} at virtual time {@code nowNanos}; {@code all} includes stopped containers. */
    public String ps(long nowNanos, boolean all) {
        TextTable t = new TextTable().row("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        List<ContainerPlan> cs = new ArrayList<>(project.plan().containers());
        java.util.Collections.reverse(cs);
        for (ContainerPlan c : cs) {
            ContainerInfo info = project.info(c.name()).orElseThrow();
            if (!all && !info.running()) {
                continue;
            }
            t.row(c.shortId(), c.image(), command(c), humanDuration(nowNanos - info.createdNanos()) + " ago",
                    status(info, nowNanos), ports(c), c.name());
        }
        return t.render();
    }

    /** {@code docker ps -q [-f name=X]}: short ids, newest first; a name filter matches a substring of the name. */
    public String psQuiet(boolean all, List<String> filters) {
        List<ContainerPlan> cs = new ArrayList<>(project.plan().containers());
        java.util.Collections.reverse(cs);
        StringBuilder sb = new StringBuilder();
        for (ContainerPlan c : cs) {
            ContainerInfo info = project.info(c.name()).orElseThrow();
            if (!all && !info.running()) {
                continue;
            }
            boolean match = true;
            for (String f : filters) {
                int eq = f.indexOf('=');
                String k = eq < 0 ? f : f.substring(0, eq).toLowerCase(java.util.Locale.ROOT);
                String v = eq < 0 ? "" : f.substring(eq + 1);
                if (k.equals("name")) {
                    match &= java.util.regex.Pattern.compile(v).matcher(c.name()).find();
                } else if (k.equals("id")) {
                    match &= c.id().startsWith(v);
                }
            }
            if (match) {
                sb.append(c.shortId()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Runs a docker CLI command line against the project ({@code docker network ls|inspect},
     * {@code docker inspect}, {@code docker ps}, {@code docker compose ps}); for the host's tools.
     */
    public Output run(List<String> argv, long nowNanos) {
        List<String> a = new ArrayList<>(argv);
        if (a.isEmpty() || !a.get(0).equals("docker")) {
            return Output.fail("not a docker command: " + Argv.join(argv));
        }
        a.remove(0);
        if (a.isEmpty()) {
            return Output.fail("Usage:  docker [OPTIONS] COMMAND");
        }
        String format = null;
        List<String> rest = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        boolean all = false;
        boolean quiet = false;
        boolean isPs = a.get(0).equals("ps");
        for (int i = 1; i < a.size(); i++) {
            String w = a.get(i);
            if (isPs && (w.equals("-f") || w.equals("--filter")) && i + 1 < a.size()) {
                filters.add(a.get(++i));
            } else if (isPs && (w.equals("-q") || w.equals("--quiet"))) {
                quiet = true;
            } else if (isPs && (w.equals("-aq") || w.equals("-qa"))) {
                quiet = true;
                all = true;
            } else if ((w.equals("-f") || w.equals("--format")) && i + 1 < a.size()) {
                format = a.get(++i);
            } else if (w.startsWith("--format=")) {
                format = w.substring(9);
            } else if (w.equals("-a") || w.equals("--all")) {
                all = true;
            } else {
                rest.add(w);
            }
        }
        switch (a.get(0)) {
            case "network":
                if (rest.isEmpty()) {
                    return Output.fail("Usage:  docker network COMMAND");
                }
                if (rest.get(0).equals("ls") || rest.get(0).equals("list")) {
                    return Output.ok(networkLs());
                }
                if (rest.get(0).equals("inspect")) {
                    if (rest.size() < 2) {
                        return Output.fail("\"docker network inspect\" requires at least 1 argument.");
                    }
                    return networkInspect(rest.subList(1, rest.size()), format);
                }
                return Output.fail("docker: unknown network command: " + rest.get(0));
            case "inspect":
            case "container":
                if (a.get(0).equals("container")) {
                    if (rest.isEmpty() || !rest.get(0).equals("inspect")) {
                        return Output.fail("docker: only \"container inspect\" is modelled");
                    }
                    rest.remove(0);
                }
                if (rest.isEmpty()) {
                    return Output.fail("\"docker inspect\" requires at least 1 argument.");
                }
                return inspect(rest, format);
            case "ps":
                if (quiet) {
                    return Output.ok(psQuiet(all, filters));
                }
                return Output.ok(ps(nowNanos, all));
            case "compose":
                if (rest.contains("ps")) {
                    return Output.ok(composePs(nowNanos));
                }
                return Output.fail("docker compose: only \"ps\" is modelled inside the simulation");
            default:
                return Output.fail("docker: '" + a.get(0) + "' is not modelled by simnet (network ls|inspect, inspect, ps, compose ps)");
        }
    }
}
