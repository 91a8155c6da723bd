package dev.simnet.scenarios.steps;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.compose.ComposeException;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.Interpolator;
import dev.simnet.scenarios.compose.Location;
import dev.simnet.scenarios.compose.ServiceSpec;
import dev.simnet.scenarios.compose.YamlNode;
import dev.simnet.scenarios.docker.DockerOptions;
import dev.simnet.scenarios.engine.Durations;
import dev.simnet.scenarios.engine.Impairment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code x-simnet} block — from the compose file itself, or from a separate file next
 * to it named {@code <compose name without extension>.simnet.yaml} (or {@code .yml}) whose top
 * level is the block's content. Every error is a {@link ComposeException} with
 * {@code file:line:column}.
 *
 * <pre>
 * x-simnet:
 *   seed: 42
 *   userland-proxy: true          # the daemon's setting
 *   mac-scheme: random            # or legacy (02:42 + IPv4, Docker ≤ 27)
 *   impairments:
 *     - {service: db, network: back, delay: 20ms, jitter: 5ms, loss: 5%, rate: 10mbit}
 *   steps:
 *     - name: curl from a to b
 *       exec: {service: nginx_a, cmd: "curl -s nginx_b"}
 *       expect: {exit: 0, contains: "Welcome to nginx!"}
 *       expect_on:                  # replaces expect on one backend, with the reason
 *         tap: {because: "no docker-proxy binary on this host", expect: {exit: 0}}
 *     - exec: {host: true, cmd: "docker network inspect linuxnetworks_default"}
 *       expect: {json: {path: "$[0].IPAM.Config[0].Subnet", equals: "172.18.0.0/16"}}
 *     - sleep: 5s
 *     - stop: nginx_b
 *     - start: nginx_b
 *     - connect: {service: web, network: back, aliases: [w]}
 *     - disconnect: {service: web, network: back}
 *     - impair: {service: web, loss: 10%}
 * </pre>
 */
public final class StepsParser {
    private static final Set<String> ACTIONS = Set.of("exec", "sleep", "stop", "start", "connect", "disconnect", "impair");
    private final ComposeFile compose;

    private StepsParser(ComposeFile compose) {
        this.compose = compose;
    }

    /** The separate steps file for a compose file: {@code compose.yaml} → {@code compose.simnet.yaml}. */
    public static Path separateFile(Path composeFile) {
        String name = composeFile.getFileName().toString();
        String base = name.replaceFirst("\\.(ya?ml)$", "");
        Path dir = composeFile.toAbsolutePath().getParent();
        Path yml = dir.resolve(base + ".simnet.yml");
        return Files.exists(yml) ? yml : dir.resolve(base + ".simnet.yaml");
    }

    /** Parses the steps for {@code compose}, which was read from {@code composeFile} (may be null). */
    public static SimnetSpec parse(ComposeFile compose, Path composeFile) {
        YamlNode block = compose.simnet();
        Path separate = composeFile == null ? null : separateFile(composeFile);
        if (separate != null && Files.isRegularFile(separate)) {
            String display = composeFile.getParent() == null ? separate.getFileName().toString()
                    : composeFile.getParent().resolve(separate.getFileName()).toString();
            if (block != null) {
                throw new ComposeException(compose.file(), block.line(), block.column(), "x-simnet",
                        "steps are defined both here and in " + display + "; keep one");
            }
            String text;
            try {
                text = Files.readString(separate, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ComposeException(display, 0, 0, "", "cannot read: " + e.getMessage());
            }
            YamlNode root = YamlNode.parse(text, display, new Interpolator(Map.of()));
            if (root == null) {
                return SimnetSpec.empty();
            }
            return new StepsParser(compose).spec(root, display);
        }
        if (block == null || block.isNull()) {
            return SimnetSpec.empty();
        }
        return new StepsParser(compose).spec(block.literal(), compose.file());
    }

    private SimnetSpec spec(YamlNode n, String source) {
        String description = null;
        Long seed = null;
        Boolean proxy = null;
        DockerOptions.MacScheme mac = null;
        List<Impairment> impairments = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
            YamlNode v = e.getValue();
            switch (e.getKey()) {
                case "description":
                    description = v.text();
                    break;
                case "seed":
                    try {
                        seed = Long.parseLong(v.text().trim());
                    } catch (NumberFormatException ex) {
                        throw v.error("expected an integer seed, got \"" + v.text() + "\"");
                    }
                    break;
                case "userland-proxy":
                case "userland_proxy":
                    proxy = v.bool();
                    break;
                case "mac-scheme":
                case "mac_scheme": {
                    String t = v.text().toLowerCase(Locale.ROOT);
                    if (t.equals("random") || t.equals("docker28")) {
                        mac = DockerOptions.MacScheme.RANDOM;
                    } else if (t.equals("legacy") || t.equals("02:42") || t.equals("docker27")) {
                        mac = DockerOptions.MacScheme.LEGACY_0242;
                    } else {
                        throw v.error("expected mac-scheme random (Docker 28+) or legacy (02:42 + IPv4, Docker 27 and older), got \"" + v.text() + "\"");
                    }
                    break;
                }
                case "impairments":
                    for (YamlNode i : v.items()) {
                        impairments.add(impairment(i, false));
                    }
                    break;
                case "steps":
                    if (!v.isNull()) {
                        for (YamlNode s : v.items()) {
                            steps.add(step(s));
                        }
                    }
                    break;
                default:
                    if (!e.getKey().startsWith("x-")) {
                        throw n.keyNode(e.getKey()).error("unknown x-simnet key (expected seed, userland-proxy, "
                                + "mac-scheme, impairments, steps, description)");
                    }
            }
        }
        return new SimnetSpec(source, description, seed, proxy, mac, List.copyOf(impairments), List.copyOf(steps));
    }

    private Step step(YamlNode s) {
        Map<String, YamlNode> m = s.entries();
        String action = null;
        for (String k : m.keySet()) {
            if (ACTIONS.contains(k)) {
                if (action != null) {
                    throw s.keyNode(k).error("a step does one thing; found both '" + action + "' and '" + k + "'");
                }
                action = k;
            } else if (!k.equals("name") && !k.equals("expect") && !k.equals("expect_on") && !k.equals("expect-on")) {
                throw s.keyNode(k).error("unknown step key (expected one of exec, sleep, stop, start, connect, "
                        + "disconnect, impair, plus name, expect and expect_on)");
            }
        }
        if (action == null) {
            throw s.error("a step needs one of exec, sleep, stop, start, connect, disconnect, impair");
        }
        for (String k : List.of("expect", "expect_on", "expect-on")) {
            if (m.containsKey(k) && !action.equals("exec")) {
                throw s.keyNode(k).error("'" + k + "' only applies to exec steps");
            }
        }
        if (m.containsKey("expect_on") && m.containsKey("expect-on")) {
            throw s.keyNode("expect-on").error("give either expect_on or expect-on, not both");
        }
        String name = m.containsKey("name") ? m.get("name").text() : null;
        YamlNode v = m.get(action);
        Location loc = Location.of(s);
        switch (action) {
            case "exec":
                return exec(name, loc, v, m.get("expect"), m.containsKey("expect_on") ? m.get("expect_on") : m.get("expect-on"));
            case "sleep": {
                long ns;
                try {
                    ns = Durations.parse(v.text());
                } catch (IllegalArgumentException e) {
                    throw v.error(e.getMessage());
                }
                return new Step.Sleep(name != null ? name : "sleep " + v.text(), loc, ns);
            }
            case "stop":
            case "start": {
                String svc;
                int replica = 0;
                if (v.isMap()) {
                    svc = service(v.get("service") == null ? v : v.get("service"), v);
                    replica = replica(v);
                } else {
                    svc = service(v, v);
                }
                String nm = name != null ? name : action + " " + svc + (replica > 0 ? "#" + replica : "");
                return action.equals("stop") ? new Step.Stop(nm, loc, svc, replica) : new Step.Start(nm, loc, svc, replica);
            }
            case "connect":
            case "disconnect": {
                Map<String, YamlNode> c = v.entries();
                String svc = service(required(v, "service"), v);
                String net = network(required(v, "network"));
                int replica = replica(v);
                if (action.equals("disconnect")) {
                    return new Step.Disconnect(name != null ? name : "disconnect " + svc + " from " + net, loc, svc, replica, net);
                }
                List<String> aliases = c.containsKey("aliases") ? c.get("aliases").stringList() : List.of();
                String ip = null;
                if (c.containsKey("ipv4_address")) {
                    try {
                        ip = Ipv4Address.parse(c.get("ipv4_address").text()).toString();
                    } catch (IllegalArgumentException e) {
                        throw c.get("ipv4_address").error("expected an IPv4 address, got \"" + c.get("ipv4_address").text() + "\"");
                    }
                }
                for (String k : c.keySet()) {
                    if (!Set.of("service", "network", "replica", "aliases", "ipv4_address").contains(k)) {
                        throw v.keyNode(k).error("unknown connect key (expected service, network, replica, aliases, ipv4_address)");
                    }
                }
                return new Step.Connect(name != null ? name : "connect " + svc + " to " + net, loc, svc, replica, net, aliases, ip);
            }
            case "impair": {
                Impairment i = impairment(v, true);
                return new Step.Impair(name != null ? name : "impair " + i.link() + ": " + i.describe(), loc, i);
            }
            default:
                throw s.error("unknown step");
        }
    }

    private static YamlNode required(YamlNode map, String key) {
        YamlNode n = map.get(key);
        if (n == null) {
            throw map.error("missing '" + key + "'");
        }
        return n;
    }

    private String service(YamlNode n, YamlNode ctx) {
        String s = n.text();
        if (!compose.services().containsKey(s)) {
            throw n.error("unknown service \"" + s + "\" (services: " + String.join(", ", compose.services().keySet()) + ")");
        }
        return s;
    }

    private int replica(YamlNode map) {
        YamlNode r = map.get("replica");
        return r == null ? 0 : r.integer(1, 1000, "a replica number");
    }

    /** Accepts a compose network key or a Docker network name; returns the Docker name. */
    private String network(YamlNode n) {
        String s = n.text();
        if (compose.networks().containsKey(s)) {
            return compose.networks().get(s).name();
        }
        for (var ns : compose.networks().values()) {
            if (ns.name().equals(s)) {
                return s;
            }
        }
        if (s.equals("bridge")) {
            return s;
        }
        throw n.error("unknown network \"" + s + "\" (networks used by this project: "
                + String.join(", ", compose.networks().keySet()) + ")");
    }

    /**
     * {@code expect_on: {tap: {because: "…", expect: {…}}}}: per backend, expectations replacing the
     * step's {@code expect} there, with the reason (required, so no expectation disappears silently).
     */
    private static java.util.Map<String, Step.BackendExpect> expectOn(YamlNode n) {
        java.util.Map<String, Step.BackendExpect> out = new java.util.LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isMap()) {
            throw n.error("expect_on maps a backend name (" + String.join(", ", Step.BACKENDS)
                    + ") to {because: \"…\", expect: {…}}");
        }
        for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
            String backend = e.getKey();
            if (!Step.BACKENDS.contains(backend)) {
                throw n.keyNode(backend).error("unknown backend \"" + backend + "\" (expected one of "
                        + String.join(", ", Step.BACKENDS) + ")");
            }
            YamlNode b = e.getValue();
            if (b == null || !b.isMap()) {
                throw (b == null ? n.keyNode(backend) : b).error("expect_on." + backend
                        + " needs because: \"why this backend differs\" and expect: {…} (may be omitted: nothing is checked there)");
            }
            String because = null;
            List<Expectation> ex = List.of();
            for (Map.Entry<String, YamlNode> f : b.entries().entrySet()) {
                switch (f.getKey()) {
                    case "because":
                        because = f.getValue().isNull() ? "" : f.getValue().text().trim();
                        if (because.isEmpty()) {
                            throw f.getValue().error("'because' must say why " + backend + " differs");
                        }
                        break;
                    case "expect":
                        ex = f.getValue().isNull() ? List.of() : expectations(f.getValue());
                        break;
                    default:
                        throw b.keyNode(f.getKey()).error("unknown expect_on key (expected because, expect)");
                }
            }
            if (because == null) {
                throw b.error("expect_on." + backend + " needs because: \"why this backend differs\"");
            }
            out.put(backend, new Step.BackendExpect(backend, because, List.copyOf(ex), Location.of(n.keyNode(backend))));
        }
        return out;
    }

    private Step exec(String name, Location loc, YamlNode v, YamlNode expect, YamlNode expectOn) {
        Map<String, YamlNode> m = v.entries();
        Step.TargetKind kind = null;
        String target = null;
        int replica = 1;
        List<String> argv = null;
        String line = null;
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            YamlNode x = e.getValue();
            switch (e.getKey()) {
                case "service":
                    kind = setOnce(kind, Step.TargetKind.SERVICE, x);
                    target = service(x, v);
                    break;
                case "container":
                    kind = setOnce(kind, Step.TargetKind.CONTAINER, x);
                    target = x.text();
                    break;
                case "host":
                    if (x.bool()) {
                        kind = setOnce(kind, Step.TargetKind.HOST, x);
                        target = "host";
                    }
                    break;
                case "internet":
                    if (x.bool()) {
                        kind = setOnce(kind, Step.TargetKind.INTERNET, x);
                        target = "internet";
                    }
                    break;
                case "replica":
                    replica = x.integer(1, 1000, "a replica number");
                    break;
                case "cmd":
                    if (x.isList()) {
                        argv = x.stringList();
                    } else {
                        line = x.text();
                        try {
                            argv = Argv.split(x.text());
                        } catch (IllegalArgumentException ex) {
                            throw x.error(ex.getMessage());
                        }
                    }
                    if (argv.isEmpty()) {
                        throw x.error("the command is empty");
                    }
                    break;
                default:
                    throw v.keyNode(e.getKey()).error("unknown exec key (expected service, replica, container, host, internet, cmd)");
            }
        }
        if (kind == null) {
            throw v.error("exec needs a target: service: NAME, container: NAME, host: true or internet: true");
        }
        if (argv == null) {
            throw v.error("exec needs 'cmd:' (a string or a list)");
        }
        if (kind == Step.TargetKind.SERVICE && m.containsKey("replica")) {
            ServiceSpec s = compose.services().get(target);
            if (replica > s.replicas()) {
                throw m.get("replica").error("service \"" + target + "\" has " + s.replicas() + " replica(s)");
            }
        }
        List<Expectation> ex = expect == null ? List.of() : expectations(expect);
        String nm = name != null ? name : target + ": " + (line != null ? line : Argv.join(argv));
        return new Step.Exec(nm, loc, kind, target, replica, argv, line, ex, expectOn(expectOn));
    }

    private static Step.TargetKind setOnce(Step.TargetKind cur, Step.TargetKind k, YamlNode x) {
        if (cur != null) {
            throw x.error("exec has more than one target; use one of service, container, host, internet");
        }
        return k;
    }

    private static List<Expectation> expectations(YamlNode n) {
        List<Expectation> out = new ArrayList<>();
        List<YamlNode> blocks = n.isList() ? n.items() : List.of(n);
        for (YamlNode b : blocks) {
            for (Map.Entry<String, YamlNode> e : b.entries().entrySet()) {
                YamlNode v = e.getValue();
                Location loc = Location.of(v);
                switch (e.getKey()) {
                    case "exit":
                        out.add(new Expectation(Expectation.Kind.EXIT, null, String.valueOf(v.integer(0, 255, "an exit code")), loc));
                        break;
                    case "contains":
                        for (String s : v.stringOrList()) {
                            out.add(new Expectation(Expectation.Kind.CONTAINS, null, s, loc));
                        }
                        break;
                    case "not_contains":
                        for (String s : v.stringOrList()) {
                            out.add(new Expectation(Expectation.Kind.NOT_CONTAINS, null, s, loc));
                        }
                        break;
                    case "stderr_contains":
                        for (String s : v.stringOrList()) {
                            out.add(new Expectation(Expectation.Kind.STDERR_CONTAINS, null, s, loc));
                        }
                        break;
                    case "regex":
                        for (String s : v.stringOrList()) {
                            try {
                                java.util.regex.Pattern.compile(s);
                            } catch (java.util.regex.PatternSyntaxException ex) {
                                throw v.error("invalid regular expression: " + ex.getDescription());
                            }
                            out.add(new Expectation(Expectation.Kind.REGEX, null, s, loc));
                        }
                        break;
                    case "equals":
                        out.add(new Expectation(Expectation.Kind.EQUALS, null, v.isNull() ? "" : v.text(), loc));
                        break;
                    case "json": {
                        List<YamlNode> items = v.isList() ? v.items() : List.of(v);
                        for (YamlNode j : items) {
                            Map<String, YamlNode> jm = j.entries();
                            YamlNode p = jm.get("path");
                            YamlNode val = jm.containsKey("equals") ? jm.get("equals") : jm.get("value");
                            if (p == null || val == null) {
                                throw j.error("a json expectation needs 'path:' and 'equals:'");
                            }
                            out.add(new Expectation(Expectation.Kind.JSON, p.text(), val.isNull() ? "null" : val.text(), Location.of(j)));
                        }
                        break;
                    }
                    default:
                        throw b.keyNode(e.getKey()).error("unknown expectation (expected exit, contains, not_contains, "
                                + "regex, equals, stderr_contains, json)");
                }
            }
        }
        return out;
    }

    private Impairment impairment(YamlNode n, boolean allowClear) {
        Map<String, YamlNode> m = n.entries();
        String service = null;
        String network = null;
        boolean uplink = false;
        int replica = 1;
        long delay = 0;
        long jitter = 0;
        double loss = 0;
        double dup = 0;
        double corrupt = 0;
        double reorder = 0;
        long rate = 0;
        int limit = 1000;
        boolean clear = false;
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            YamlNode v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "service": service = service(v, n); break;
                    case "network": network = network(v); break;
                    case "replica": replica = v.integer(1, 1000, "a replica number"); break;
                    case "link":
                        if (!v.text().equals("uplink")) {
                            throw v.error("expected link: uplink (or give service: and network:)");
                        }
                        uplink = true;
                        break;
                    case "delay": delay = Durations.parse(v.text()); break;
                    case "jitter": jitter = Durations.parse(v.text()); break;
                    case "loss": loss = Durations.parsePercent(v.text()); break;
                    case "duplicate": dup = Durations.parsePercent(v.text()); break;
                    case "corrupt": corrupt = Durations.parsePercent(v.text()); break;
                    case "reorder": reorder = Durations.parsePercent(v.text()); break;
                    case "rate": rate = Durations.parseRate(v.text()); break;
                    case "limit": limit = v.integer(1, 1_000_000, "a queue limit in packets"); break;
                    case "clear":
                        if (!allowClear) {
                            throw v.error("'clear' only makes sense in an impair step");
                        }
                        clear = v.bool();
                        break;
                    default:
                        throw n.keyNode(e.getKey()).error("unknown impairment key (expected service, network, replica, "
                                + "link, delay, jitter, loss, duplicate, corrupt, reorder, rate, limit" + (allowClear ? ", clear" : "") + ")");
                }
            } catch (IllegalArgumentException ex) {
                throw v.error(ex.getMessage());
            }
        }
        if (uplink == (service != null)) {
            throw n.error("an impairment needs either service: (with optional network:) or link: uplink");
        }
        if (jitter > 0 && delay == 0) {
            throw n.error("jitter needs a delay");
        }
        if (service != null) {
            ServiceSpec s = compose.services().get(service);
            if (s.sharedService() != null || "host".equals(s.networkMode()) || "none".equals(s.networkMode())) {
                throw n.get("service").error("service \"" + service + "\" has no link of its own (network_mode "
                        + s.networkMode() + ")");
            }
            if (network != null) {
                final String net = network;
                boolean attached = s.networks().values().stream()
                        .anyMatch(sn -> compose.networks().get(sn.key()).name().equals(net))
                        || "bridge".equals(s.networkMode()) && net.equals("bridge");
                if (!attached) {
                    throw n.get("network").error("service \"" + service + "\" is not attached to network \"" + network + "\"");
                }
            }
        }
        return new Impairment(service, replica, network, uplink, delay, jitter, loss, dup, corrupt, reorder, rate, limit, clear);
    }
}
