package dev.simnet.scenarios.diff;

import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Observes one built {@link ScenarioEngine} the same way on every backend and turns what the tools
 * print into normalised, comparable values, one per named check:
 *
 * <ol>
 *   <li>{@code conntrack} — a short burst of traffic leaving the host (curl to the internet's HTTP
 *       server, ping to the router, an external DNS name, every published TCP port from the internet),
 *       then {@code conntrack -L} of the Docker host at once (before short timeouts can differ);</li>
 *   <li>{@code ip addr} / {@code ip route} of every namespace (containers owning a namespace, host,
 *       internet);</li>
 *   <li>reachability: {@code ping} and a TCP connect ({@code nc -z}) from every container namespace
 *       to every container address (ports 80 and the container's exposed/published ports), to the
 *       internet router and HTTP server, and every published port from the internet, from the host
 *       (localhost) and from inside (hairpin, via the host's public address and the gateway);</li>
 *   <li>the source address the internet's HTTP server sees for each container;</li>
 *   <li>DNS: every name of the plan (container, service, aliases, {@code name.network}, short id) and
 *       a few external and unknown names, from every container, with {@code dig}: rcode, flags and the
 *       answer records as a set (replicas are shuffled);</li>
 *   <li>{@code ip neigh} of every namespace after all that traffic.</li>
 * </ol>
 *
 * Normalisation covers only what legitimately differs between two runs of the same plan: interface
 * indexes, MACs not fixed by the plan (the uplink's, host-side veth ends), neighbour timer states
 * (REACHABLE/STALE/DELAY/PROBE), conntrack timeouts, ids and ephemeral ports (≥ 32768), ICMP echo ids.
 */
final class DifferentialHarness {
    /** Names every container asks for that are not in the plan. */
    static final List<String> EXTRA_NAMES = List.of("www.example.test", "nosuchname", "nosuch.example.test");

    /** Time let pass between phases (both backends). */
    static final long SETTLE_NANOS = 300_000_000L;
    /** At least this long between the build and the interface-state listings (linkwatch's 1 s batching, with margin). */
    static final long LINKWATCH_NANOS = 1_500_000_000L;

    private final TopologyPlan plan;
    private final Set<String> planMacs = new TreeSet<>();

    DifferentialHarness(TopologyPlan plan) {
        this.plan = plan;
        for (NetworkPlan n : plan.networks()) {
            if (n.bridgeMac() != null) {
                planMacs.add(n.bridgeMac().toString().toLowerCase(Locale.ROOT));
            }
        }
        for (ContainerPlan c : plan.containers()) {
            for (EndpointPlan e : c.endpoints()) {
                if (e.mac() != null) {
                    planMacs.add(e.mac().toString().toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    /** Containers that own a network namespace of their own (bridge networking). */
    List<ContainerPlan> owners() {
        List<ContainerPlan> l = new ArrayList<>();
        for (ContainerPlan c : plan.containers()) {
            if (c.ownsNamespace() && !c.networkMode().equals("host") && !c.networkMode().equals("none") && !c.endpoints().isEmpty()) {
                l.add(c);
            }
        }
        return l;
    }

    /** One command to run and how to turn its result into a comparable value. */
    private record Probe(String check, ExecTarget target, List<String> argv, Kind kind) {
    }

    private enum Kind { PING, TCP, SOURCE, DIG, ADDR, ROUTE, NEIGH, CONNTRACK, RAW }

    /** Everything observed, check name → normalised value, in a fixed order. */
    Map<String, String> observe(ScenarioEngine engine, boolean parallel) {
        Map<String, String> out = new LinkedHashMap<>();
        long start = engine.now();
        run(engine, conntrackPhase(), out, parallel);
        // a shell's pause between commands: the last FINs and replies land before the listing
        engine.advance(SETTLE_NANOS);
        run(engine, List.of(new Probe("conntrack -L (host)", ExecTarget.host(), List.of("conntrack", "-L"), Kind.CONNTRACK)), out, parallel);
        run(engine, reachabilityPhase(), out, parallel);
        run(engine, sourcePhase(), out, parallel);
        run(engine, dnsPhase(), out, parallel);
        engine.advance(SETTLE_NANOS);
        // the 127.0.0.11 DNAT/SNAT flows in each container namespace (UDP only: its 30 s timeout outlives the phase)
        List<Probe> ct = new ArrayList<>();
        for (ContainerPlan c : owners()) {
            ct.add(new Probe("conntrack -L -p udp (" + c.name() + ")", ExecTarget.container(c.name()),
                    List.of("conntrack", "-L", "-p", "udp"), Kind.CONNTRACK));
        }
        run(engine, ct, out, parallel);
        // interface state last: the kernel applies carrier/operstate changes through linkwatch, up to 1 s
        // after the event (linkwatch_fire_event batches them once a second); a fast build and fast phases
        // would otherwise catch docker0 or a fresh veth still UNKNOWN. Both sides wait the same time.
        long elapsed = engine.now() - start;
        if (elapsed < LINKWATCH_NANOS) {
            engine.advance(LINKWATCH_NANOS - elapsed);
        }
        run(engine, statePhase(Kind.ADDR), out, parallel);
        run(engine, statePhase(Kind.ROUTE), out, parallel);
        run(engine, statePhase(Kind.NEIGH), out, parallel);
        return out;
    }

    private void run(ScenarioEngine engine, List<Probe> probes, Map<String, String> out, boolean parallel) {
        if (!parallel) {
            for (Probe p : probes) {
                out.put(p.check(), normalise(p, engine.exec(p.target(), p.argv())));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ExecResult>> fs = new ArrayList<>();
            for (Probe p : probes) {
                fs.add(pool.submit(() -> engine.exec(p.target(), p.argv())));
            }
            for (int i = 0; i < probes.size(); i++) {
                out.put(probes.get(i).check(), normalise(probes.get(i), fs.get(i).get()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------ phases

    private List<Probe> conntrackPhase() {
        List<Probe> l = new ArrayList<>();
        for (ContainerPlan c : owners()) {
            ExecTarget t = ExecTarget.container(c.name());
            l.add(new Probe("ct-traffic " + c.name() + " curl web", t,
                    List.of("curl", "-s", "-o", "/dev/null", "-m", "3", "-w", "%{http_code}", "http://" + InternetPlan.WEB_SERVER + "/"), Kind.RAW));
            l.add(new Probe("ct-traffic " + c.name() + " ping router", t, ping(InternetPlan.ROUTER_ADDRESS.toString()), Kind.PING));
            if (hasEmbeddedDns(c)) {
                l.add(new Probe("ct-traffic " + c.name() + " dig www.example.test", t, dig("www.example.test"), Kind.DIG));
            }
        }
        for (PortPlan p : publishedTcp()) {
            l.add(new Probe("ct-traffic internet -> " + InternetPlan.HOST_PUBLIC_ADDRESS + ":" + p.hostPort(), ExecTarget.internet(),
                    tcp(InternetPlan.HOST_PUBLIC_ADDRESS.toString(), p.hostPort()), Kind.TCP));
        }
        return l;
    }

    private List<Probe> statePhase(Kind kind) {
        String what = kind == Kind.ADDR ? "addr" : kind == Kind.ROUTE ? "route" : "neigh";
        List<Probe> l = new ArrayList<>();
        for (ContainerPlan c : owners()) {
            l.add(new Probe("ip " + what + " " + c.name(), ExecTarget.container(c.name()), List.of("ip", what), kind));
        }
        l.add(new Probe("ip " + what + " host", ExecTarget.host(), List.of("ip", what), kind));
        l.add(new Probe("ip " + what + " internet", ExecTarget.internet(), List.of("ip", what), kind));
        return l;
    }

    private List<Probe> reachabilityPhase() {
        List<Probe> l = new ArrayList<>();
        List<ContainerPlan> owners = owners();
        for (ContainerPlan from : owners) {
            ExecTarget t = ExecTarget.container(from.name());
            for (ContainerPlan to : owners) {
                if (to == from) {
                    continue;
                }
                for (EndpointPlan e : to.endpoints()) {
                    String a = e.address().toString();
                    l.add(new Probe("ping " + from.name() + " -> " + to.name() + "/" + e.network() + " " + a, t, ping(a), Kind.PING));
                    for (int port : tcpPorts(to)) {
                        l.add(new Probe("tcp " + from.name() + " -> " + to.name() + "/" + e.network() + " " + a + ":" + port, t,
                                tcp(a, port), Kind.TCP));
                    }
                }
            }
            l.add(new Probe("ping " + from.name() + " -> internet " + InternetPlan.WEB_SERVER, t, ping(InternetPlan.WEB_SERVER.toString()), Kind.PING));
            l.add(new Probe("tcp " + from.name() + " -> internet " + InternetPlan.WEB_SERVER + ":80", t, tcp(InternetPlan.WEB_SERVER.toString(), 80), Kind.TCP));
            for (PortPlan p : publishedTcp()) {
                l.add(new Probe("tcp " + from.name() + " -> published " + InternetPlan.HOST_PUBLIC_ADDRESS + ":" + p.hostPort() + " (hairpin)", t,
                        tcp(InternetPlan.HOST_PUBLIC_ADDRESS.toString(), p.hostPort()), Kind.TCP));
                for (EndpointPlan e : from.endpoints()) {
                    NetworkPlan n = plan.network(e.network()).orElseThrow();
                    l.add(new Probe("tcp " + from.name() + " -> published gateway " + n.gateway() + ":" + p.hostPort(), t,
                            tcp(n.gateway().toString(), p.hostPort()), Kind.TCP));
                }
            }
        }
        for (PortPlan p : publishedTcp()) {
            l.add(new Probe("tcp host -> published 127.0.0.1:" + p.hostPort(), ExecTarget.host(), tcp("127.0.0.1", p.hostPort()), Kind.TCP));
        }
        for (ContainerPlan to : owners) {
            EndpointPlan e = to.endpoints().get(0);
            l.add(new Probe("ping internet -> " + to.name() + " " + e.address(), ExecTarget.internet(), ping(e.address().toString()), Kind.PING));
        }
        return l;
    }

    private List<Probe> sourcePhase() {
        List<Probe> l = new ArrayList<>();
        for (ContainerPlan c : owners()) {
            l.add(new Probe("source seen by " + InternetPlan.WEB_SERVER + " from " + c.name(), ExecTarget.container(c.name()),
                    curlSource("http://" + InternetPlan.WEB_SERVER + "/"), Kind.SOURCE));
        }
        // published ports of request-echo containers: who the container sees (docker-proxy, DNAT, hairpin NAT)
        for (ContainerPlan to : owners()) {
            if (to.image() == null || !to.image().contains("whoami")) {
                continue;
            }
            for (PortPlan p : to.ports()) {
                if (!p.protocol().equals("tcp")) {
                    continue;
                }
                String pub = InternetPlan.HOST_PUBLIC_ADDRESS + ":" + p.hostPort();
                for (ContainerPlan from : owners()) {
                    ExecTarget t = ExecTarget.container(from.name());
                    l.add(new Probe("source seen by " + to.name() + " from " + from.name() + " via " + pub, t,
                            curlSource("http://" + pub + "/"), Kind.SOURCE));
                    for (EndpointPlan e : from.endpoints()) {
                        String gw = plan.network(e.network()).orElseThrow().gateway() + ":" + p.hostPort();
                        l.add(new Probe("source seen by " + to.name() + " from " + from.name() + " via " + gw, t,
                                curlSource("http://" + gw + "/"), Kind.SOURCE));
                    }
                }
                l.add(new Probe("source seen by " + to.name() + " from host via 127.0.0.1:" + p.hostPort(), ExecTarget.host(),
                        curlSource("http://127.0.0.1:" + p.hostPort() + "/"), Kind.SOURCE));
                l.add(new Probe("source seen by " + to.name() + " from internet via " + pub, ExecTarget.internet(),
                        curlSource("http://" + pub + "/"), Kind.SOURCE));
            }
        }
        return l;
    }

    /** curl printing the body and then {@code LOCAL <local ip> <local port>}. */
    private static List<String> curlSource(String url) {
        return List.of("curl", "-s", "-m", "3", "-w", "\\nLOCAL %{local_ip} %{local_port}\\n", url);
    }

    private List<Probe> dnsPhase() {
        Set<String> names = new LinkedHashSet<>();
        Set<String> addresses = new LinkedHashSet<>();
        for (ContainerPlan c : plan.containers()) {
            names.add(c.name());
            names.add(c.service());
            names.add(c.shortId());
            ContainerPlan owner = plan.container(c.netns()).orElse(c);
            for (EndpointPlan e : owner == c ? c.endpoints() : List.<EndpointPlan>of()) {
                names.addAll(e.aliases());
                names.add(c.name() + "." + e.network());
                addresses.add(e.address().toString());
            }
        }
        names.addAll(EXTRA_NAMES);
        List<Probe> l = new ArrayList<>();
        for (ContainerPlan from : plan.containers()) {
            if (from.networkMode().equals("host") || from.networkMode().equals("none")) {
                continue;
            }
            ExecTarget t = ExecTarget.container(from.name());
            for (String n : names) {
                l.add(new Probe("dig " + from.name() + " " + n, t, dig(n), Kind.DIG));
            }
            for (String a : addresses) {
                l.add(new Probe("dig " + from.name() + " -x " + a, t, List.of("dig", "+tries=2", "+time=2", "-x", a), Kind.DIG));
            }
        }
        return l;
    }

    private boolean hasEmbeddedDns(ContainerPlan c) {
        for (EndpointPlan e : c.endpoints()) {
            if (plan.network(e.network()).map(NetworkPlan::embeddedDns).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private List<PortPlan> publishedTcp() {
        List<PortPlan> l = new ArrayList<>();
        for (ContainerPlan c : owners()) {
            for (PortPlan p : c.ports()) {
                if (p.protocol().equals("tcp")) {
                    l.add(p);
                }
            }
        }
        return l;
    }

    /** Port 80 plus every exposed and published container port of {@code c} (and of containers sharing its namespace). */
    private Set<Integer> tcpPorts(ContainerPlan owner) {
        Set<Integer> ports = new TreeSet<>();
        ports.add(80);
        for (ContainerPlan c : plan.containers()) {
            if (c.netns().equals(owner.netns())) {
                ports.addAll(c.exposedPorts());
                c.ports().stream().filter(p -> p.protocol().equals("tcp")).forEach(p -> ports.add(p.containerPort()));
            }
        }
        return ports;
    }

    private static List<String> ping(String a) {
        return List.of("ping", "-c", "1", "-W", "1", a);
    }

    private static List<String> tcp(String a, int port) {
        return List.of("nc", "-z", "-v", "-w", "1", a, Integer.toString(port));
    }

    /**
     * Two tries of 2 s (dig's own default is 3 of 5 s; glibc's resolver also retries): under a loaded
     * CI machine one UDP exchange among the hundreds of this phase can miss 2 s, and a retry is what
     * every client does. The answers compared are the same either way.
     */
    private static List<String> dig(String name) {
        return List.of("dig", "+tries=2", "+time=2", name);
    }

    // ------------------------------------------------------------------------------------ normalisation

    private static final Pattern MAC = Pattern.compile("\\b([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\\b");
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern FLAGS = Pattern.compile(";; flags: ([a-z ]+);");
    private static final Pattern SOURCE = Pattern.compile("(?:RemoteAddr: |Your address: )(\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");

    private String normalise(Probe p, ExecResult r) {
        return switch (p.kind()) {
            case PING -> r.exit() == 0 ? "reply" : r.exit() == 1 ? "no reply" : "exit " + r.exit() + ": " + firstLine(r.stderr() + r.stdout());
            case TCP -> tcpOutcome(r);
            case RAW -> "exit " + r.exit() + " " + r.stdout().strip();
            case SOURCE -> source(r);
            case DIG -> digOutcome(r);
            case ADDR -> addr(r);
            case ROUTE -> r.exit() != 0 ? "exit " + r.exit() + ": " + firstLine(r.stderr()) : r.stdout().strip().replaceAll("[ \t]+\n", "\n");
            case NEIGH -> neigh(r);
            case CONNTRACK -> conntrack(r);
        };
    }

    private static final Pattern LOCAL = Pattern.compile("LOCAL (\\S*) (\\d+)");

    /** The address the server saw, and whether the client's own port arrived unchanged. */
    static String source(ExecResult r) {
        Matcher m = SOURCE.matcher(r.stdout());
        if (!m.find()) {
            return "exit " + r.exit() + " (no source address in answer)";
        }
        Matcher l = LOCAL.matcher(r.stdout());
        String port = !l.find() ? "client port unknown"
                : l.group(2).equals(m.group(2)) ? "client port kept" : "client port changed";
        return m.group(1) + ", " + port;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    static String tcpOutcome(ExecResult r) {
        String all = (r.stderr() + r.stdout()).toLowerCase(Locale.ROOT);
        if (r.exit() == 0 && all.contains("succeeded")) {
            return "open";
        }
        if (all.contains("refused")) {
            return "refused";
        }
        if (all.contains("timed out")) {
            return "timeout";
        }
        if (all.contains("no route to host")) {
            return "no route to host";
        }
        if (all.contains("network is unreachable")) {
            return "network unreachable";
        }
        return "exit " + r.exit() + ": " + firstLine(r.stderr() + r.stdout());
    }

    static String digOutcome(ExecResult r) {
        if (r.exit() != 0) {
            return "exit " + r.exit() + ": " + firstLine(r.stdout().contains(";;") ? r.stdout().lines()
                    .filter(x -> x.startsWith(";;") && !x.startsWith(";; global")).findFirst().orElse(r.stdout()) : r.stderr());
        }
        String out = r.stdout();
        Matcher st = STATUS.matcher(out);
        Matcher fl = FLAGS.matcher(out);
        Set<String> answers = new TreeSet<>();
        boolean inAnswer = false;
        for (String line : out.split("\n")) {
            if (line.startsWith(";; ANSWER SECTION")) {
                inAnswer = true;
                continue;
            }
            if (inAnswer) {
                if (line.isBlank() || line.startsWith(";;")) {
                    inAnswer = false;
                    continue;
                }
                answers.add(String.join(" ", line.trim().split("\\s+")));
            }
        }
        return (st.find() ? st.group(1) : "no status") + " flags=[" + (fl.find() ? fl.group(1).trim() : "?") + "] "
                + (answers.isEmpty() ? "no answer" : String.join(" | ", answers));
    }

    private String macs(String s) {
        Matcher m = MAC.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String mac = m.group(1).toLowerCase(Locale.ROOT);
            boolean keep = planMacs.contains(mac) || mac.equals("ff:ff:ff:ff:ff:ff") || mac.equals("00:00:00:00:00:00");
            m.appendReplacement(sb, keep ? mac : "<mac>");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    String addr(ExecResult r) {
        if (r.exit() != 0) {
            return "exit " + r.exit() + ": " + firstLine(r.stderr());
        }
        StringBuilder sb = new StringBuilder();
        for (String line : r.stdout().split("\n")) {
            String l = line.replaceFirst("^\\d+: ", "N: ").replaceAll("@if\\d+", "@ifN")
                    .replaceAll(" link-netnsid \\d+", "").replaceAll(" link-netns \\S+", "").stripTrailing();
            sb.append(macs(l)).append('\n');
        }
        return sb.toString().strip();
    }

    String neigh(ExecResult r) {
        if (r.exit() != 0) {
            return "exit " + r.exit() + ": " + firstLine(r.stderr());
        }
        Set<String> lines = new TreeSet<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            lines.add(macs(line.replaceAll("\\b(REACHABLE|STALE|DELAY|PROBE)\\b", "VALID").strip()));
        }
        return String.join("\n", lines);
    }

    static String conntrack(ExecResult r) {
        if (r.exit() != 0) {
            return "exit " + r.exit() + ": " + firstLine(r.stderr());
        }
        Set<String> lines = new TreeSet<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < f.length; i++) {
                String w = f[i];
                if (i == 2 && w.matches("\\d+")) {
                    continue; // remaining timeout
                }
                if (w.startsWith("use=")) {
                    continue;
                }
                if (w.startsWith("id=")) {
                    w = "id=*";
                } else if (w.startsWith("sport=") || w.startsWith("dport=")) {
                    int port = Integer.parseInt(w.substring(6));
                    if (port >= 32768) {
                        w = w.substring(0, 6) + "*";
                    }
                }
                sb.append(sb.length() == 0 ? "" : " ").append(w);
            }
            lines.add(sb.toString());
        }
        return String.join("\n", lines);
    }

    // ------------------------------------------------------------------------------------ comparison

    /** The checks whose values differ, as a side-by-side table ({@code check | sim | linux}); empty when all agree. */
    static String compare(Map<String, String> left, Map<String, String> right, String leftName, String rightName) {
        Set<String> keys = new LinkedHashSet<>(left.keySet());
        keys.addAll(right.keySet());
        List<String[]> rows = new ArrayList<>();
        for (String k : keys) {
            String a = left.getOrDefault(k, "(not observed)");
            String b = right.getOrDefault(k, "(not observed)");
            if (a.equals(b)) {
                continue;
            }
            String[] al = a.split("\n");
            String[] bl = b.split("\n");
            int n = Math.max(al.length, bl.length);
            for (int i = 0; i < n; i++) {
                String x = i < al.length ? al[i] : "";
                String y = i < bl.length ? bl[i] : "";
                rows.add(new String[] {i == 0 ? k : "", (x.equals(y) ? "  " : "! ") + x, y});
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        int w0 = "check".length();
        int w1 = leftName.length() + 2;
        for (String[] row : rows) {
            w0 = Math.max(w0, Math.min(70, row[0].length()));
            w1 = Math.max(w1, Math.min(90, row[1].length()));
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w0 + "s | %-" + w1 + "s | %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "check", "  " + leftName, rightName));
        sb.append("-".repeat(w0)).append("-+-").append("-".repeat(w1)).append("-+-").append("-".repeat(30)).append('\n');
        for (String[] row : rows) {
            sb.append(String.format(Locale.ROOT, fmt, row[0], row[1], row[2]));
        }
        return sb.toString();
    }

    /**
     * The checks on which any column differs from the others, as a table {@code check | col1 | col2 | …}
     * (multi-line values line by line, {@code !} marking lines that are not the same in every column);
     * empty when all agree.
     */
    static String compare(Map<String, Map<String, String>> columns) {
        List<String> names = new ArrayList<>(columns.keySet());
        Set<String> keys = new LinkedHashSet<>();
        columns.values().forEach(m -> keys.addAll(m.keySet()));
        List<String[]> rows = new ArrayList<>();
        for (String k : keys) {
            List<String[]> vals = new ArrayList<>();
            Set<String> distinct = new LinkedHashSet<>();
            for (String n : names) {
                String v = columns.get(n).getOrDefault(k, "(not observed)");
                distinct.add(v);
                vals.add(v.split("\n"));
            }
            if (distinct.size() == 1) {
                continue;
            }
            int lines = vals.stream().mapToInt(a -> a.length).max().orElse(0);
            for (int i = 0; i < lines; i++) {
                String[] row = new String[names.size() + 1];
                row[0] = i == 0 ? k : "";
                Set<String> same = new LinkedHashSet<>();
                for (int c = 0; c < names.size(); c++) {
                    String x = i < vals.get(c).length ? vals.get(c)[i] : "";
                    same.add(x);
                    row[c + 1] = x;
                }
                row[1] = (same.size() == 1 ? "  " : "! ") + row[1];
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        int[] w = new int[names.size() + 1];
        w[0] = "check".length();
        for (int c = 0; c < names.size(); c++) {
            w[c + 1] = names.get(c).length() + (c == 0 ? 2 : 0);
        }
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                w[c] = Math.max(w[c], Math.min(c == 0 ? 70 : 90, row[c].length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        String[] head = new String[names.size() + 1];
        head[0] = "check";
        for (int c = 0; c < names.size(); c++) {
            head[c + 1] = (c == 0 ? "  " : "") + names.get(c);
        }
        appendRow(sb, head, w);
        for (int c = 0; c < w.length; c++) {
            sb.append(c == 0 ? "" : "-+-").append("-".repeat(w[c]));
        }
        sb.append('\n');
        for (String[] row : rows) {
            appendRow(sb, row, w);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] row, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < row.length; c++) {
            line.append(c == 0 ? "" : " | ").append(String.format(Locale.ROOT, "%-" + w[c] + "s", row[c]));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** How many checks differ. */
    static int differences(Map<String, String> left, Map<String, String> right) {
        Set<String> keys = new LinkedHashSet<>(left.keySet());
        keys.addAll(right.keySet());
        int n = 0;
        for (String k : keys) {
            if (!String.valueOf(left.get(k)).equals(String.valueOf(right.get(k)))) {
                n++;
            }
        }
        return n;
    }
}
