package dev.simnet.scenarios.compose;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a docker compose file per the compose specification and keeps what shapes the network:
 * services, their ports, networks, network modes, links, dependencies, replicas, DNS settings and
 * bind-mounted files; top-level bridge networks with IPAM settings; the project name. Every error
 * is a {@link ComposeException} located at {@code file:line:column}.
 *
 * <p>Entry points: {@link #parseFile(Path)} and {@link #parse(String, String, Path, Options)}.
 */
public final class ComposeParser {

    /** Parser options. */
    public record Options(String projectName, Map<String, String> environment) {
        /** No project override, no environment. */
        public static Options defaults() {
            return new Options(null, Map.of());
        }
    }

    private static final Set<String> TOP_LEVEL = Set.of("version", "name", "services", "networks", "volumes",
            "configs", "secrets", "models");

    private static final Set<String> SERVICE_KEYS_IGNORED = Set.of("annotations", "attach", "blkio_config", "build",
            "cap_add", "cap_drop", "cgroup", "cgroup_parent", "configs", "cpu_count", "cpu_percent", "cpu_period",
            "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec",
            "develop", "device_cgroup_rules", "devices", "dns_opt", "dns_search", "domainname", "driver_opts",
            "entrypoint", "env_file", "environment", "external_links", "gpus", "group_add", "healthcheck", "init", "ipc",
            "isolation", "label_file", "labels", "logging", "mem_limit", "mem_reservation", "mem_swappiness",
            "memswap_limit", "models", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform",
            "post_start", "pre_stop", "privileged", "provider", "pull_policy", "read_only", "restart", "runtime",
            "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt",
            "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes_from",
            "working_dir");

    private static final Set<String> SERVICE_KEYS_MODELLED = Set.of("image", "container_name", "hostname", "ports",
            "expose", "networks", "network_mode", "links", "depends_on", "deploy", "scale", "dns", "extra_hosts",
            "volumes", "command", "mac_address", "profiles", "x-simnet");

    private static final Pattern PORT_SHORT = Pattern.compile(
            "^(?:(?:(?<ip>[0-9.]+):)?(?<host>\\d+(?:-\\d+)?)?:)?(?<ctr>\\d+(?:-\\d+)?)(?:/(?<proto>[a-zA-Z]+))?$");
    private static final Pattern PROJECT_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]*$");

    private final Options options;
    private final List<String> notes = new ArrayList<>();

    private ComposeParser(Options options) {
        this.options = options;
    }

    /** Parses the compose file at {@code file}, with the process environment and the project's {@code .env}. */
    public static ComposeFile parseFile(Path file) {
        return parseFile(file, new Options(null, environmentFor(file)));
    }

    /** Parses the compose file at {@code file}. */
    public static ComposeFile parseFile(Path file, Options options) {
        String display = file.toString();
        if (!Files.exists(file)) {
            throw new ComposeException(display, 0, 0, "", "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new ComposeException(display, 0, 0, "", "is a folder, expected a compose file such as compose.yaml");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ComposeException(display, 0, 0, "", "cannot read file: " + e.getMessage());
        }
        Path abs = file.toAbsolutePath().normalize();
        return parse(text, display, abs.getParent(), options);
    }

    /** The process environment overlaid on the project's {@code .env} file (which it overrides). */
    public static Map<String, String> environmentFor(Path file) {
        Map<String, String> env = new HashMap<>();
        Path parent = file.toAbsolutePath().normalize().getParent();
        Path dotenv = parent == null ? null : parent.resolve(".env");
        if (dotenv != null && Files.isRegularFile(dotenv)) {
            try {
                for (String line : Files.readAllLines(dotenv, StandardCharsets.UTF_8)) {
                    String t = line.trim();
                    int eq = t.indexOf('=');
                    if (t.isEmpty() || t.startsWith("#") || eq <= 0) {
                        continue;
                    }
                    String v = t.substring(eq + 1).trim();
                    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                        v = v.substring(1, v.length() - 1);
                    }
                    env.put(t.substring(0, eq).trim(), v);
                }
            } catch (IOException e) {
                // an unreadable .env contributes nothing
            }
        }
        env.putAll(System.getenv());
        return env;
    }

    /**
     * Parses compose text.
     *
     * @param text    the YAML
     * @param file    file name for messages
     * @param dir     folder of the file (project name default, bind-mount base)
     * @param options project name override and environment
     */
    public static ComposeFile parse(String text, String file, Path dir, Options options) {
        return new ComposeParser(options).doParse(text, file, dir);
    }

    private ComposeFile doParse(String text, String file, Path dir) {
        YamlNode root = YamlNode.parse(text, file, new Interpolator(options.environment()));
        if (root == null) {
            throw new ComposeException(file, 1, 1, "", "the file is empty; expected a compose file with a 'services:' mapping");
        }
        if (!root.isMap()) {
            throw root.error("expected a compose file (a mapping with 'services:'), got " + root.kind());
        }
        Map<String, YamlNode> top = root.entries();
        for (Map.Entry<String, YamlNode> e : top.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("x-") || TOP_LEVEL.contains(k)) {
                continue;
            }
            YamlNode kn = root.keyNode(k);
            if (k.equals("include")) {
                throw kn.error("'include' is not supported by simnet yet; merge the included files into one");
            }
            throw kn.error("unknown top-level key (expected services, networks, volumes, configs, secrets, name, version or x-…)");
        }
        if (top.containsKey("version")) {
            notes.add(Location.of(top.get("version")) + ": the top-level 'version' key is obsolete and ignored");
        }
        String project = projectName(top.get("name"), dir, file);
        YamlNode servicesNode = top.get("services");
        if (servicesNode == null || servicesNode.isNull()) {
            throw new ComposeException(file, root.line(), root.column(), "",
                    "no 'services:' defined; expected at least one service");
        }
        Map<String, NetworkSpec> declared = new LinkedHashMap<>();
        YamlNode nets = top.get("networks");
        if (nets != null && !nets.isNull()) {
            for (Map.Entry<String, YamlNode> e : nets.entries().entrySet()) {
                declared.put(e.getKey(), network(e.getKey(), e.getValue(), project));
            }
        }
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : servicesNode.entries().entrySet()) {
            ServiceSpec s = service(e.getKey(), e.getValue(), dir, servicesNode.keyNode(e.getKey()));
            if (s != null) {
                services.put(s.name(), s);
            }
        }
        if (services.isEmpty()) {
            throw servicesNode.error("no services defined (or all are behind profiles)");
        }
        Map<String, NetworkSpec> used = validate(services, declared, project, file);
        YamlNode simnet = top.get("x-simnet");
        return new ComposeFile(file, dir, project, services, used, simnet, List.copyOf(notes));
    }

    /** Compose's project-name rules: lower-case, only [a-z0-9_-], leading '_' or '-' stripped. */
    public static String normalizeProjectName(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (char c : lower.toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                sb.append(c);
            }
        }
        int i = 0;
        while (i < sb.length() && (sb.charAt(i) == '_' || sb.charAt(i) == '-')) {
            i++;
        }
        return sb.substring(i);
    }

    private String projectName(YamlNode nameNode, Path dir, String file) {
        if (options.projectName() != null) {
            String n = options.projectName();
            if (!PROJECT_NAME.matcher(n).matches()) {
                throw new ComposeException(file, 0, 0, "", "invalid project name \"" + n
                        + "\": expected lower-case letters, digits, '_' or '-', starting with a letter or digit");
            }
            return n;
        }
        if (nameNode != null && !nameNode.isNull()) {
            String n = nameNode.text();
            if (!PROJECT_NAME.matcher(n).matches()) {
                throw nameNode.error("invalid project name \"" + n
                        + "\": expected lower-case letters, digits, '_' or '-', starting with a letter or digit");
            }
            return n;
        }
        String folder = dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
        String n = normalizeProjectName(folder);
        if (n.isEmpty()) {
            throw new ComposeException(file, 1, 1, "", "cannot derive a project name from the folder \"" + folder
                    + "\"; add a top-level 'name:'");
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------- networks

    private NetworkSpec network(String key, YamlNode n, String project) {
        Location loc = Location.of(n);
        if (n.isNull()) {
            return new NetworkSpec(key, project + "_" + key, false, false, null, null, null, Map.of(), null, true,
                    Map.of(), Map.of(), false, loc);
        }
        Map<String, YamlNode> m = n.entries();
        boolean external = false;
        boolean internal = false;
        String name = null;
        String subnet = null;
        String gateway = null;
        String ipRange = null;
        Map<String, String> aux = new LinkedHashMap<>();
        String bridge = null;
        boolean icc = true;
        boolean attachable = false;
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            YamlNode v = e.getValue();
            switch (e.getKey()) {
                case "driver": {
                    String d = v.textOr("bridge");
                    if (!d.equals("bridge")) {
                        throw v.error("network driver \"" + d + "\" is not modelled by simnet (only \"bridge\" is)");
                    }
                    break;
                }
                case "external":
                    if (v.isMap()) {
                        external = true;
                        YamlNode en = v.get("name");
                        if (en != null) {
                            name = en.text();
                        }
                    } else {
                        external = v.bool();
                    }
                    break;
                case "internal":
                    internal = v.bool();
                    break;
                case "name":
                    name = v.text();
                    break;
                case "attachable":
                    attachable = v.bool();
                    break;
                case "enable_ipv6":
                    if (v.bool()) {
                        throw v.error("IPv6 is not modelled by simnet yet (remove enable_ipv6 or set it to false)");
                    }
                    break;
                case "enable_ipv4":
                    if (!v.bool()) {
                        throw v.error("IPv6-only networks are not modelled by simnet (enable_ipv4 must stay true)");
                    }
                    break;
                case "labels":
                    labels.putAll(mapOrList(v));
                    break;
                case "driver_opts":
                    for (Map.Entry<String, YamlNode> o : v.entries().entrySet()) {
                        String val = o.getValue().textOr("");
                        opts.put(o.getKey(), val);
                        if (o.getKey().equals("com.docker.network.bridge.name")) {
                            if (val.isEmpty() || val.length() > 15 || val.contains("/") || val.contains(" ")) {
                                throw o.getValue().error("expected a Linux interface name of 1 to 15 characters, got \"" + val + "\"");
                            }
                            bridge = val;
                        } else if (o.getKey().equals("com.docker.network.bridge.enable_icc")) {
                            icc = o.getValue().bool();
                        }
                    }
                    break;
                case "ipam": {
                    Map<String, YamlNode> ipam = v.entries();
                    for (Map.Entry<String, YamlNode> ie : ipam.entrySet()) {
                        YamlNode iv = ie.getValue();
                        switch (ie.getKey()) {
                            case "driver": {
                                String d = iv.textOr("default");
                                if (!d.equals("default")) {
                                    throw iv.error("IPAM driver \"" + d + "\" is not modelled by simnet (only \"default\")");
                                }
                                break;
                            }
                            case "options":
                                break;
                            case "config": {
                                boolean seenV4 = false;
                                for (YamlNode c : iv.items()) {
                                    Map<String, YamlNode> cm = c.entries();
                                    YamlNode sn = cm.get("subnet");
                                    if (sn != null && sn.text().contains(":")) {
                                        throw sn.error("IPv6 subnets are not modelled by simnet yet");
                                    }
                                    if (seenV4) {
                                        throw c.error("only one IPv4 subnet per network is modelled by simnet");
                                    }
                                    seenV4 = true;
                                    for (Map.Entry<String, YamlNode> ce : cm.entrySet()) {
                                        YamlNode cv = ce.getValue();
                                        switch (ce.getKey()) {
                                            case "subnet":
                                                subnet = cidr(cv, "a subnet like \"172.28.0.0/16\"").canonical().toString();
                                                Ipv4Cidr given = cidr(cv, "");
                                                if (!given.address().equals(given.network())) {
                                                    throw cv.error("subnet " + cv.text() + " has host bits set; expected " + given.canonical());
                                                }
                                                if (given.prefixLength() > 30) {
                                                    throw cv.error("subnet " + cv.text() + " is too small; expected a prefix of /30 or shorter");
                                                }
                                                break;
                                            case "ip_range":
                                                ipRange = cidr(cv, "a range like \"172.28.5.0/24\"").canonical().toString();
                                                break;
                                            case "gateway":
                                                gateway = address(cv, "a gateway address like \"172.28.0.1\"").toString();
                                                break;
                                            case "aux_addresses":
                                                for (Map.Entry<String, YamlNode> a : cv.entries().entrySet()) {
                                                    aux.put(a.getKey(), address(a.getValue(), "an address").toString());
                                                }
                                                break;
                                            default:
                                                throw c.keyNode(ce.getKey()).error("unknown IPAM config key (expected subnet, ip_range, gateway or aux_addresses)");
                                        }
                                    }
                                    checkIpam(c, subnet, gateway, ipRange, aux);
                                }
                                break;
                            }
                            default:
                                throw v.keyNode(ie.getKey()).error("unknown ipam key (expected driver, config or options)");
                        }
                    }
                    break;
                }
                default:
                    if (!e.getKey().startsWith("x-")) {
                        throw n.keyNode(e.getKey()).error("unknown network key (expected driver, driver_opts, ipam, "
                                + "internal, external, name, labels, attachable, enable_ipv6)");
                    }
            }
        }
        if (name == null) {
            name = external ? key : project + "_" + key;
        }
        return new NetworkSpec(key, name, external, internal, subnet, gateway, ipRange, Map.copyOf(aux), bridge, icc,
                opts, labels, attachable, loc);
    }

    private static void checkIpam(YamlNode c, String subnet, String gateway, String ipRange, Map<String, String> aux) {
        if (subnet == null) {
            if (gateway != null || ipRange != null) {
                throw c.error("ip_range and gateway need a subnet in the same IPAM config");
            }
            return;
        }
        Ipv4Cidr sn = Ipv4Cidr.parse(subnet);
        if (gateway != null && !sn.contains(Ipv4Address.parse(gateway))) {
            throw c.get("gateway").error("gateway " + gateway + " is outside the subnet " + subnet);
        }
        if (ipRange != null && !sn.contains(Ipv4Cidr.parse(ipRange))) {
            throw c.get("ip_range").error("ip_range " + ipRange + " is not inside the subnet " + subnet);
        }
        for (Map.Entry<String, String> a : aux.entrySet()) {
            if (!sn.contains(Ipv4Address.parse(a.getValue()))) {
                throw c.get("aux_addresses").error("aux address " + a.getKey() + "=" + a.getValue() + " is outside the subnet " + subnet);
            }
        }
    }

    private static Ipv4Cidr cidr(YamlNode n, String expected) {
        try {
            String t = n.text().trim();
            if (!t.contains("/")) {
                throw new IllegalArgumentException();
            }
            return Ipv4Cidr.parse(t);
        } catch (IllegalArgumentException e) {
            throw n.error("expected " + expected + ", got \"" + n.text() + "\"");
        }
    }

    private static Ipv4Address address(YamlNode n, String expected) {
        String t = n.text().trim();
        if (t.contains(":")) {
            throw n.error("IPv6 addresses are not modelled by simnet yet, got \"" + t + "\"");
        }
        try {
            return Ipv4Address.parse(t);
        } catch (IllegalArgumentException e) {
            throw n.error("expected " + expected + ", got \"" + t + "\"");
        }
    }

    private static Map<String, String> mapOrList(YamlNode v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v.isNull()) {
            return out;
        }
        if (v.isList()) {
            for (YamlNode i : v.items()) {
                String t = i.text();
                int eq = t.indexOf('=');
                out.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
            }
        } else {
            for (Map.Entry<String, YamlNode> e : v.entries().entrySet()) {
                out.put(e.getKey(), e.getValue().textOr(""));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------- services

    private ServiceSpec service(String name, YamlNode n, Path dir, YamlNode keyNode) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw keyNode.error("invalid service name \"" + name + "\": expected letters, digits, '_', '.' or '-'");
        }
        if (n.isNull()) {
            throw n.error("service \"" + name + "\" is empty; expected at least an 'image:'");
        }
        Map<String, YamlNode> m = n.entries();
        Map<String, Location> locs = new LinkedHashMap<>();
        for (String k : m.keySet()) {
            if (k.startsWith("x-") && !k.equals("x-simnet") || SERVICE_KEYS_IGNORED.contains(k)) {
                continue;
            }
            if (!SERVICE_KEYS_MODELLED.contains(k)) {
                if (k.equals("extends")) {
                    throw n.keyNode(k).error("'extends' is not supported by simnet yet; inline the extended service");
                }
                throw n.keyNode(k).error("unknown service key (not in the compose specification)");
            }
            locs.put(k, Location.of(m.get(k)));
        }
        if (m.containsKey("profiles") && !m.get("profiles").isNull() && !m.get("profiles").stringOrList().isEmpty()) {
            notes.add(Location.of(m.get("profiles")) + ": service " + name + " has profiles and is not started");
            return null;
        }
        String image = m.containsKey("image") ? m.get("image").text() : "";
        if (image.isEmpty() && !m.containsKey("build")) {
            throw keyNode.error("service \"" + name + "\" has neither 'image' nor 'build'");
        }
        String containerName = m.containsKey("container_name") ? m.get("container_name").text() : null;
        if (containerName != null && !containerName.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
            throw m.get("container_name").error("invalid container name \"" + containerName
                    + "\": expected [a-zA-Z0-9][a-zA-Z0-9_.-]+");
        }
        String hostname = m.containsKey("hostname") ? m.get("hostname").text() : null;
        if (hostname != null && !hostname.matches("[a-zA-Z0-9]([a-zA-Z0-9.-]{0,252})?")) {
            throw m.get("hostname").error("invalid hostname \"" + hostname + "\"");
        }
        List<PortSpec> ports = new ArrayList<>();
        if (m.containsKey("ports") && !m.get("ports").isNull()) {
            for (YamlNode p : m.get("ports").items()) {
                ports.add(port(p));
            }
        }
        List<Integer> expose = new ArrayList<>();
        if (m.containsKey("expose") && !m.get("expose").isNull()) {
            for (YamlNode p : m.get("expose").items()) {
                expose(p, expose);
            }
        }
        String networkMode = null;
        if (m.containsKey("network_mode")) {
            YamlNode nm = m.get("network_mode");
            networkMode = nm.text();
            if (!(networkMode.equals("bridge") || networkMode.equals("host") || networkMode.equals("none")
                    || networkMode.startsWith("service:") && networkMode.length() > 8
                    || networkMode.startsWith("container:") && networkMode.length() > 10)) {
                throw nm.error("expected bridge, host, none, \"service:NAME\" or \"container:NAME\", got \"" + networkMode + "\"");
            }
        }
        Map<String, ServiceNetworkSpec> networks = new LinkedHashMap<>();
        boolean networksGiven = m.containsKey("networks");
        if (networksGiven) {
            YamlNode nn = m.get("networks");
            if (nn.isList()) {
                for (YamlNode i : nn.items()) {
                    String k = i.text();
                    if (networks.containsKey(k)) {
                        throw i.error("network \"" + k + "\" listed twice");
                    }
                    networks.put(k, new ServiceNetworkSpec(k, List.of(), null, null, null, 0, Location.of(i)));
                }
            } else if (!nn.isNull()) {
                for (Map.Entry<String, YamlNode> e : nn.entries().entrySet()) {
                    networks.put(e.getKey(), serviceNetwork(e.getKey(), e.getValue(), nn.keyNode(e.getKey())));
                }
            }
        }
        Map<String, String> links = new LinkedHashMap<>();
        if (m.containsKey("links") && !m.get("links").isNull()) {
            for (YamlNode l : m.get("links").items()) {
                String t = l.text();
                String[] parts = t.split(":", -1);
                if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
                    throw l.error("expected a link like \"db\" or \"db:database\", got \"" + t + "\"");
                }
                links.put(parts.length == 2 ? parts[1] : parts[0], parts[0]);
                locs.putIfAbsent("links." + parts[0], Location.of(l));
            }
        }
        List<String> dependsOn = new ArrayList<>();
        if (m.containsKey("depends_on") && !m.get("depends_on").isNull()) {
            YamlNode d = m.get("depends_on");
            if (d.isList()) {
                for (YamlNode i : d.items()) {
                    dependsOn.add(i.text());
                    locs.put("depends_on." + i.text(), Location.of(i));
                }
            } else {
                for (Map.Entry<String, YamlNode> e : d.entries().entrySet()) {
                    YamlNode v = e.getValue();
                    if (!v.isNull()) {
                        for (Map.Entry<String, YamlNode> c : v.entries().entrySet()) {
                            if (c.getKey().equals("condition")) {
                                String cond = c.getValue().text();
                                if (!Set.of("service_started", "service_healthy", "service_completed_successfully").contains(cond)) {
                                    throw c.getValue().error("expected service_started, service_healthy or "
                                            + "service_completed_successfully, got \"" + cond + "\"");
                                }
                            }
                        }
                    }
                    dependsOn.add(e.getKey());
                    locs.put("depends_on." + e.getKey(), Location.of(d.keyNode(e.getKey())));
                }
            }
        }
        int replicas = replicas(m);
        List<String> dns = new ArrayList<>();
        if (m.containsKey("dns")) {
            YamlNode d = m.get("dns");
            List<YamlNode> items = d.isList() ? d.items() : d.isNull() ? List.of() : List.of(d);
            for (YamlNode i : items) {
                dns.add(address(i, "a DNS server address like \"8.8.8.8\"").toString());
            }
        }
        Map<String, String> extraHosts = new LinkedHashMap<>();
        if (m.containsKey("extra_hosts") && !m.get("extra_hosts").isNull()) {
            extraHosts(m.get("extra_hosts"), extraHosts);
        }
        String mac = m.containsKey("mac_address") ? mac(m.get("mac_address")) : null;
        List<VolumeSpec> volumes = new ArrayList<>();
        if (m.containsKey("volumes") && !m.get("volumes").isNull()) {
            for (YamlNode v : m.get("volumes").items()) {
                volumes.add(volume(v, dir));
            }
        }
        List<String> command = new ArrayList<>();
        if (m.containsKey("command") && !m.get("command").isNull()) {
            YamlNode c = m.get("command");
            if (c.isList()) {
                command.addAll(c.stringList());
            } else {
                try {
                    command.addAll(Argv.split(c.text()));
                } catch (IllegalArgumentException e) {
                    throw c.error(e.getMessage());
                }
            }
        }
        Map<String, Object> ext = new LinkedHashMap<>();
        if (m.containsKey("x-simnet") && !m.get("x-simnet").isNull()) {
            ext.putAll(serviceExtension(m.get("x-simnet")));
        }
        return new ServiceSpec(name, image, containerName, hostname, List.copyOf(ports), List.copyOf(expose), networks,
                networksGiven, networkMode, links, dependsOn, replicas, dns, extraHosts, mac, volumes, command, ext,
                Location.of(keyNode), locs);
    }

    private static Map<String, Object> serviceExtension(YamlNode x) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : x.entries().entrySet()) {
            YamlNode v = e.getValue();
            switch (e.getKey()) {
                case "model": {
                    String model = v.text();
                    if (!Set.of("nginx", "httpd", "whoami", "redis", "postgres", "mysql", "tcp", "none").contains(model)) {
                        throw v.error("expected an image model (nginx, httpd, whoami, redis, postgres, mysql, tcp, none), got \"" + model + "\"");
                    }
                    out.put("model", model);
                    break;
                }
                case "listen": {
                    List<String> listen = new ArrayList<>();
                    for (YamlNode p : v.items()) {
                        String t = p.text();
                        if (!t.matches("\\d{1,5}(/(tcp|udp))?") || Integer.parseInt(t.replaceAll("/.*", "")) > 65535
                                || Integer.parseInt(t.replaceAll("/.*", "")) == 0) {
                            throw p.error("expected a port like \"80\" or \"53/udp\", got \"" + t + "\"");
                        }
                        listen.add(t.contains("/") ? t : t + "/tcp");
                    }
                    out.put("listen", List.copyOf(listen));
                    break;
                }
                default:
                    out.put(e.getKey(), plain(v));
            }
        }
        return out;
    }

    /** The node as plain Java values (maps, lists, strings). */
    static Object plain(YamlNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isMap()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : v.entries().entrySet()) {
                m.put(e.getKey(), plain(e.getValue()));
            }
            return m;
        }
        if (v.isList()) {
            List<Object> l = new ArrayList<>();
            for (YamlNode i : v.items()) {
                l.add(plain(i));
            }
            return l;
        }
        return v.text();
    }

    private static int replicas(Map<String, YamlNode> m) {
        Integer scale = m.containsKey("scale") ? m.get("scale").integer(0, 1000, "a replica count") : null;
        Integer replicas = null;
        YamlNode deploy = m.get("deploy");
        if (deploy != null && !deploy.isNull()) {
            Map<String, YamlNode> d = deploy.entries();
            if (d.containsKey("mode") && d.get("mode").text().startsWith("global")) {
                replicas = 1;
            }
            if (d.containsKey("replicas")) {
                replicas = d.get("replicas").integer(0, 1000, "a replica count");
            }
        }
        if (scale != null && replicas != null && !scale.equals(replicas)) {
            throw m.get("scale").error("scale (" + scale + ") and deploy.replicas (" + replicas + ") disagree; set only one");
        }
        return scale != null ? scale : replicas != null ? replicas : 1;
    }

    private static String mac(YamlNode n) {
        try {
            MacAddress mac = MacAddress.parse(n.text());
            if (mac.isMulticast()) {
                throw n.error("expected a unicast MAC address, got multicast " + mac);
            }
            return mac.toString();
        } catch (IllegalArgumentException e) {
            throw n.error("expected a MAC address like \"02:42:ac:11:00:02\", got \"" + n.text() + "\"");
        }
    }

    private ServiceNetworkSpec serviceNetwork(String key, YamlNode v, YamlNode keyNode) {
        List<String> aliases = new ArrayList<>();
        String ip = null;
        String mac = null;
        String ifname = null;
        int priority = 0;
        if (!v.isNull()) {
            for (Map.Entry<String, YamlNode> e : v.entries().entrySet()) {
                YamlNode x = e.getValue();
                switch (e.getKey()) {
                    case "aliases":
                        if (!x.isNull()) {
                            for (YamlNode a : x.items()) {
                                String t = a.text();
                                if (!t.matches("[a-zA-Z0-9_][a-zA-Z0-9_.-]*")) {
                                    throw a.error("expected a DNS name as alias, got \"" + t + "\"");
                                }
                                aliases.add(t);
                            }
                        }
                        break;
                    case "ipv4_address":
                        ip = address(x, "an IPv4 address like \"172.28.0.10\"").toString();
                        break;
                    case "ipv6_address":
                        throw x.error("IPv6 is not modelled by simnet yet (remove ipv6_address)");
                    case "mac_address":
                        mac = mac(x);
                        break;
                    case "interface_name":
                        ifname = x.text();
                        if (!ifname.matches("[a-zA-Z0-9_.-]{1,15}")) {
                            throw x.error("expected an interface name of 1 to 15 characters, got \"" + ifname + "\"");
                        }
                        break;
                    case "priority":
                        priority = x.integer(Integer.MIN_VALUE, Integer.MAX_VALUE, "a priority");
                        break;
                    case "gw_priority":
                    case "link_local_ips":
                    case "driver_opts":
                        break;
                    default:
                        if (!e.getKey().startsWith("x-")) {
                            throw v.keyNode(e.getKey()).error("unknown key (expected aliases, ipv4_address, mac_address, "
                                    + "interface_name, priority)");
                        }
                }
            }
        }
        return new ServiceNetworkSpec(key, List.copyOf(aliases), ip, mac, ifname, priority, Location.of(keyNode));
    }

    private void extraHosts(YamlNode n, Map<String, String> out) {
        if (n.isMap()) {
            for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
                YamlNode v = e.getValue();
                out.put(e.getKey(), extraHostAddress(v, v.isList() ? v.stringList().get(0) : v.text()));
            }
            return;
        }
        for (YamlNode i : n.items()) {
            String t = i.text();
            int eq = t.indexOf('=');
            int colon = t.indexOf(':');
            int sep = eq >= 0 ? eq : colon;
            if (sep <= 0 || sep == t.length() - 1) {
                throw i.error("expected \"host:address\" or \"host=address\", got \"" + t + "\"");
            }
            out.put(t.substring(0, sep), extraHostAddress(i, t.substring(sep + 1)));
        }
    }

    private static String extraHostAddress(YamlNode n, String a) {
        String t = a.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.equals("host-gateway") || t.contains(":")) {
            return t;
        }
        try {
            return Ipv4Address.parse(t).toString();
        } catch (IllegalArgumentException e) {
            throw n.error("expected an IP address or host-gateway, got \"" + a + "\"");
        }
    }

    private VolumeSpec volume(YamlNode v, Path dir) {
        Location loc = Location.of(v);
        if (v.isMap()) {
            Map<String, YamlNode> m = v.entries();
            String type = m.containsKey("type") ? m.get("type").text() : "volume";
            String source = m.containsKey("source") ? m.get("source").text() : null;
            if (!m.containsKey("target")) {
                throw v.error("a volume in long syntax needs 'target:'");
            }
            String target = m.get("target").text();
            boolean ro = m.containsKey("read_only") && m.get("read_only").bool();
            Path resolved = type.equals("bind") && source != null && dir != null ? resolve(dir, source) : null;
            return new VolumeSpec(type, source, resolved, target, ro, loc);
        }
        String t = v.text();
        String[] parts = t.split(":", -1);
        if (parts.length == 1) {
            return new VolumeSpec("volume", null, null, parts[0], false, loc);
        }
        if (parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw v.error("expected a volume like \"./conf:/etc/nginx/conf.d:ro\" or \"data:/var/lib/data\", got \"" + t + "\"");
        }
        boolean ro = parts.length == 3 && List.of(parts[2].split(",")).contains("ro");
        String src = parts[0];
        boolean bind = src.startsWith(".") || src.startsWith("/") || src.startsWith("~");
        return new VolumeSpec(bind ? "bind" : "volume", src, bind && dir != null ? resolve(dir, src) : null, parts[1], ro, loc);
    }

    private static Path resolve(Path dir, String src) {
        if (src.startsWith("~")) {
            return Path.of(System.getProperty("user.home", "/"), src.substring(1).replaceFirst("^/", "")).normalize();
        }
        return dir.resolve(src).normalize();
    }

    // ---------------------------------------------------------------------------------------- ports

    /** Parses one {@code ports:} entry (short or long syntax). */
    static PortSpec port(YamlNode p) {
        if (p.isMap()) {
            return longPort(p);
        }
        String t = p.text().trim();
        String expected = "expected a port like \"8080:80\" or \"127.0.0.1:8080:80/udp\", got \"" + p.text() + "\"";
        if (t.startsWith("[") || t.chars().filter(c -> c == ':').count() > 2) {
            if (t.startsWith("[") || t.startsWith("::")) {
                throw p.error("IPv6 host addresses are not modelled by simnet yet, got \"" + t + "\"");
            }
            throw p.error(expected);
        }
        Matcher mt = PORT_SHORT.matcher(t);
        if (!mt.matches()) {
            throw p.error(expected);
        }
        String ip = mt.group("ip");
        String host = mt.group("host");
        String proto = protocol(p, mt.group("proto"));
        if (ip != null) {
            try {
                ip = Ipv4Address.parse(ip).toString();
            } catch (IllegalArgumentException e) {
                throw p.error("expected a host IP address in \"" + t + "\", got \"" + ip + "\"");
            }
        }
        int[] c = range(p, mt.group("ctr"), 1, "container port");
        int[] h = host == null || host.isEmpty() ? new int[] {0, 0} : range(p, host, 1, "host port");
        return checkRanges(p, new PortSpec(ip == null ? "0.0.0.0" : ip, h[0], h[1], c[0], c[1], proto, Location.of(p)));
    }

    private static PortSpec checkRanges(YamlNode p, PortSpec s) {
        int hostCount = s.hostEnd() - s.hostStart() + 1;
        if (s.hostStart() != 0 && hostCount != s.count() && s.count() != 1) {
            throw p.error("host port range " + s.hostStart() + "-" + s.hostEnd() + " and container port range "
                    + s.containerStart() + "-" + s.containerEnd() + " differ in size");
        }
        return s;
    }

    private static String protocol(YamlNode p, String proto) {
        if (proto == null) {
            return "tcp";
        }
        String l = proto.toLowerCase(Locale.ROOT);
        if (l.equals("tcp") || l.equals("udp")) {
            return l;
        }
        if (l.equals("sctp")) {
            throw p.error("SCTP ports are not modelled by simnet (tcp or udp)");
        }
        throw p.error("expected protocol tcp or udp, got \"" + proto + "\"");
    }

    private static int[] range(YamlNode p, String s, int min, String what) {
        String[] parts = s.split("-");
        int a = portNumber(p, parts[0], min, what);
        int b = parts.length == 2 ? portNumber(p, parts[1], min, what) : a;
        if (b < a) {
            throw p.error(what + " range " + s + " ends before it starts");
        }
        return new int[] {a, b};
    }

    private static int portNumber(YamlNode p, String s, int min, String what) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw p.error("expected a " + what + " number, got \"" + s + "\"");
        }
        if (v < min || v > 65535) {
            throw p.error(what + " " + s + " is outside " + min + "-65535");
        }
        return (int) v;
    }

    private static PortSpec longPort(YamlNode p) {
        Map<String, YamlNode> m = p.entries();
        if (!m.containsKey("target")) {
            throw p.error("a port in long syntax needs 'target:' (the container port)");
        }
        int[] c = range(m.get("target"), m.get("target").text().trim(), 1, "container port");
        int[] h = {0, 0};
        String ip = "0.0.0.0";
        String proto = "tcp";
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            YamlNode v = e.getValue();
            switch (e.getKey()) {
                case "target":
                case "name":
                case "app_protocol":
                    break;
                case "published":
                    if (!v.isNull()) {
                        String t = v.text().trim();
                        if (!t.matches("\\d+(-\\d+)?")) {
                            throw v.error("expected a host port like 8080 or \"8000-8010\", got \"" + t + "\"");
                        }
                        h = range(v, t, 1, "host port");
                    }
                    break;
                case "host_ip":
                    ip = address(v, "a host IP address like \"127.0.0.1\"").toString();
                    break;
                case "protocol":
                    proto = protocol(v, v.text());
                    break;
                case "mode":
                    if (!Set.of("host", "ingress").contains(v.text())) {
                        throw v.error("expected mode host or ingress, got \"" + v.text() + "\"");
                    }
                    break;
                default:
                    if (!e.getKey().startsWith("x-")) {
                        throw p.keyNode(e.getKey()).error("unknown port key (expected target, published, host_ip, protocol, mode, name, app_protocol)");
                    }
            }
        }
        return checkRanges(p, new PortSpec(ip, h[0], h[1], c[0], c[1], proto, Location.of(p)));
    }

    private static void expose(YamlNode p, List<Integer> out) {
        String t = p.text().trim();
        Matcher mt = Pattern.compile("^(\\d+(?:-\\d+)?)(?:/(tcp|udp))?$").matcher(t);
        if (!mt.matches()) {
            throw p.error("expected a container port like \"3000\", \"8000-8010\" or \"53/udp\", got \"" + t + "\"");
        }
        int[] r = range(p, mt.group(1), 1, "port");
        for (int i = r[0]; i <= r[1]; i++) {
            if (!out.contains(i)) {
                out.add(i);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- semantics

    private Map<String, NetworkSpec> validate(Map<String, ServiceSpec> services, Map<String, NetworkSpec> declared,
                                              String project, String file) {
        Set<String> usedKeys = new LinkedHashSet<>();
        Map<String, String> containerNames = new HashMap<>();
        for (ServiceSpec s : services.values()) {
            String mode = s.networkMode();
            if (mode != null && s.networksGiven()) {
                throw s.at("network_mode").error("service \"" + s.name() + "\" declares mutually exclusive 'network_mode' and 'networks'");
            }
            if (mode != null && (mode.startsWith("service:") || mode.startsWith("container:")) && !s.ports().isEmpty()) {
                throw s.at("ports").error("conflicting options: port publishing and network_mode \"" + mode
                        + "\" (publish the ports on the service that owns the namespace)");
            }
            if (mode != null && mode.startsWith("service:") && !s.links().isEmpty()) {
                throw s.at("links").error("conflicting options: links and network_mode \"" + mode + "\"");
            }
            if ("host".equals(mode) && !s.ports().isEmpty()) {
                notes.add(s.at("ports") + ": published ports are discarded when using host network mode");
            }
            String shared = s.sharedService();
            if (shared != null) {
                if (!services.containsKey(shared)) {
                    throw s.at("network_mode").error("network_mode refers to unknown service \"" + shared + "\""
                            + known(services));
                }
                if (shared.equals(s.name())) {
                    throw s.at("network_mode").error("a service cannot share its own network namespace");
                }
                if (services.get(shared).replicas() == 0) {
                    throw s.at("network_mode").error("service \"" + shared + "\" has 0 replicas; there is no namespace to join");
                }
            }
            for (String d : s.dependsOn()) {
                if (!services.containsKey(d)) {
                    throw s.at("depends_on." + d).error("service \"" + s.name() + "\" depends on undefined service \"" + d + "\"" + known(services));
                }
                if (d.equals(s.name())) {
                    throw s.at("depends_on." + d).error("service \"" + s.name() + "\" depends on itself");
                }
            }
            for (String target : s.links().values()) {
                if (!services.containsKey(target)) {
                    throw s.at("links." + target).error("link to undefined service \"" + target + "\"" + known(services));
                }
            }
            if (mode == null && s.networks().isEmpty()) {
                // no networks (or an empty list): compose attaches the project's default network
                s.networks().put("default", new ServiceNetworkSpec("default", List.of(), null, null, null, 0, s.location()));
            }
            for (ServiceNetworkSpec sn : s.networks().values()) {
                if (!sn.key().equals("default") && !declared.containsKey(sn.key())) {
                    throw sn.location().error("service \"" + s.name() + "\" refers to undefined network \"" + sn.key()
                            + "\"" + (declared.isEmpty() ? " (no top-level 'networks:' defined)"
                            : " (defined: " + String.join(", ", declared.keySet()) + ")"));
                }
                usedKeys.add(sn.key());
            }
            if (s.containerName() != null) {
                if (s.replicas() > 1) {
                    throw s.at("container_name").error("container_name \"" + s.containerName() + "\" cannot be used with "
                            + s.replicas() + " replicas (container names must be unique)");
                }
                String prev = containerNames.put(s.containerName(), s.name());
                if (prev != null) {
                    throw s.at("container_name").error("container name \"" + s.containerName() + "\" is already used by service \"" + prev + "\"");
                }
            }
            if (s.hostname() != null && s.networkMode() != null && (s.networkMode().startsWith("service:")
                    || s.networkMode().startsWith("container:") || s.networkMode().equals("host"))) {
                throw s.at("hostname").error("conflicting options: hostname and network_mode \"" + s.networkMode() + "\"");
            }
        }
        cycles(services);
        portClashes(services);
        Map<String, NetworkSpec> used = new LinkedHashMap<>();
        for (Map.Entry<String, NetworkSpec> e : declared.entrySet()) {
            if (usedKeys.contains(e.getKey())) {
                used.put(e.getKey(), e.getValue());
            }
        }
        if (usedKeys.contains("default") && !used.containsKey("default")) {
            used.put("default", new NetworkSpec("default", project + "_default", false, false, null, null, null, Map.of(),
                    null, true, Map.of(), Map.of(), false, new Location(file, 1, 1, "networks.default")));
        }
        Map<String, String> names = new HashMap<>();
        for (NetworkSpec n : used.values()) {
            String prev = names.put(n.name(), n.key());
            if (prev != null) {
                throw n.location().error("networks \"" + prev + "\" and \"" + n.key() + "\" both have the name \"" + n.name() + "\"");
            }
        }
        staticAddresses(services, used);
        return used;
    }

    private static String known(Map<String, ServiceSpec> services) {
        return " (services: " + String.join(", ", new TreeMap<>(services).keySet()) + ")";
    }

    private static void cycles(Map<String, ServiceSpec> services) {
        Map<String, Integer> state = new HashMap<>();
        for (String s : services.keySet()) {
            Deque<String> stack = new ArrayDeque<>();
            visit(s, services, state, stack);
        }
    }

    /** Dependencies of a service: depends_on, links and the service whose namespace it joins. */
    public static List<String> dependencies(ServiceSpec s) {
        List<String> out = new ArrayList<>(s.dependsOn());
        for (String l : s.links().values()) {
            if (!out.contains(l)) {
                out.add(l);
            }
        }
        if (s.sharedService() != null && !out.contains(s.sharedService())) {
            out.add(s.sharedService());
        }
        return out;
    }

    private static void visit(String s, Map<String, ServiceSpec> services, Map<String, Integer> state, Deque<String> stack) {
        Integer st = state.get(s);
        if (st != null && st == 2) {
            return;
        }
        if (st != null && st == 1) {
            List<String> path = new ArrayList<>();
            boolean in = false;
            List<String> order = new ArrayList<>(stack);
            java.util.Collections.reverse(order);
            for (String x : order) {
                if (x.equals(s)) {
                    in = true;
                }
                if (in) {
                    path.add(x);
                }
            }
            path.add(s);
            ServiceSpec first = services.get(path.get(path.size() - 2));
            Location loc = first.locations().getOrDefault("depends_on." + s,
                    first.locations().getOrDefault("links." + s, first.at("network_mode")));
            throw loc.error("dependency cycle detected: " + String.join(" -> ", path));
        }
        state.put(s, 1);
        stack.push(s);
        for (String d : dependencies(services.get(s))) {
            visit(d, services, state, stack);
        }
        stack.pop();
        state.put(s, 2);
    }

    private static void portClashes(Map<String, ServiceSpec> services) {
        Map<String, String> bound = new HashMap<>();
        for (ServiceSpec s : services.values()) {
            for (PortSpec p : s.ports()) {
                if (p.hostStart() == 0) {
                    continue;
                }
                boolean pickOne = p.count() == 1 && p.hostEnd() > p.hostStart();
                for (int r = 1; r <= Math.max(1, s.replicas()); r++) {
                    if (pickOne) {
                        continue;
                    }
                    for (int i = 0; i <= p.hostEnd() - p.hostStart(); i++) {
                        int hp = p.hostStart() + i;
                        String who = s.name() + (s.replicas() > 1 ? " (replica " + r + ")" : "");
                        for (String ip : p.hostIp().equals("0.0.0.0") ? List.of("0.0.0.0", "*")
                                : List.of(p.hostIp(), "0.0.0.0")) {
                            String prev = bound.get(ip + ":" + hp + "/" + p.protocol());
                            if (prev != null) {
                                throw p.location().error("host port " + p.hostIp() + ":" + hp + "/" + p.protocol()
                                        + " of " + who + " is already published by " + prev);
                            }
                        }
                        bound.put(p.hostIp() + ":" + hp + "/" + p.protocol(), who);
                        if (!p.hostIp().equals("0.0.0.0")) {
                            bound.put("*:" + hp + "/" + p.protocol(), who);
                        }
                    }
                }
            }
        }
    }

    private static void staticAddresses(Map<String, ServiceSpec> services, Map<String, NetworkSpec> networks) {
        Map<String, String> taken = new HashMap<>();
        for (ServiceSpec s : services.values()) {
            for (ServiceNetworkSpec sn : s.networks().values()) {
                if (sn.ipv4Address() == null) {
                    continue;
                }
                NetworkSpec n = networks.get(sn.key());
                Location loc = sn.location();
                if (n.subnet() == null) {
                    throw loc.error("ipv4_address " + sn.ipv4Address() + " needs a network with a configured subnet: "
                            + "add ipam.config[0].subnet to network \"" + sn.key() + "\" (Docker: user specified IP "
                            + "address is supported only when connecting to networks with user configured subnets)");
                }
                Ipv4Cidr subnet = Ipv4Cidr.parse(n.subnet());
                Ipv4Address a = Ipv4Address.parse(sn.ipv4Address());
                if (!subnet.contains(a)) {
                    throw loc.error("ipv4_address " + a + " is outside the subnet " + subnet + " of network \"" + sn.key() + "\"");
                }
                if (a.equals(subnet.network()) || a.equals(subnet.broadcast())) {
                    throw loc.error("ipv4_address " + a + " is the network or broadcast address of " + subnet);
                }
                String gw = n.gateway() != null ? n.gateway() : null;
                if (a.toString().equals(gw) || gw == null && a.equals(subnet.nth(1)) && n.ipRange() == null) {
                    throw loc.error("ipv4_address " + a + " is the gateway of network \"" + sn.key() + "\"");
                }
                if (n.auxAddresses().containsValue(a.toString())) {
                    throw loc.error("ipv4_address " + a + " is reserved by aux_addresses of network \"" + sn.key() + "\"");
                }
                if (s.replicas() > 1) {
                    throw loc.error("ipv4_address " + a + " cannot be given to " + s.replicas() + " replicas");
                }
                String prev = taken.put(n.key() + "/" + a, s.name());
                if (prev != null) {
                    throw loc.error("ipv4_address " + a + " is already taken by service \"" + prev + "\" on network \"" + sn.key() + "\"");
                }
            }
        }
    }
}
