package dev.simnet.api;

import dev.simnet.scenarios.docker.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed state and name resolution for backends whose namespaces are real (Linux, TAP): the
 * namespace's own tools are run ({@code ip -j addr|route|neigh}, {@code bridge -j fdb},
 * {@code conntrack -L}, {@code iptables-save -c}, {@code getent}-like {@code dig}) and their
 * machine-readable output is converted into the API's records.
 */
final class ToolState {
    private static final Pattern CT_TUPLE = Pattern.compile(
            "src=(\\S+) dst=(\\S+)(?: (?:sport=(\\d+) dport=(\\d+)|type=(\\d+) code=(\\d+) id=(\\d+)))?");
    private static final Pattern COUNTER = Pattern.compile("^\\[(\\d+):(\\d+)\\] -A (\\S+) (.*)$");
    private static final Pattern POLICY = Pattern.compile("^:(\\S+) (ACCEPT|DROP) \\[(\\d+):(\\d+)\\]$");

    private ToolState() {
    }

    private static List<Map<?, ?>> json(SimnetHandle h, Target t, String... argv) {
        ExecResult r = h.exec(t, argv);
        List<Map<?, ?>> out = new ArrayList<>();
        if (!r.ok() || r.stdout().isBlank()) {
            return out;
        }
        Object v;
        try {
            v = Json.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new SimnetException("'" + String.join(" ", argv) + "' in " + t + " did not print JSON (" + e.getMessage() + ")", e);
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : String.valueOf(v);
    }

    private static int num(Map<?, ?> m, String k, int dflt) {
        Object v = m.get(k);
        return v instanceof Number n ? n.intValue() : dflt;
    }

    /**
     * The namespace's state from its own tools. Rule counters come from {@code iptables-save -c}: the
     * Linux backend loads Docker's rules with iptables-restore (iptables-nft), so each rule's text is
     * exactly the simulator's iptables-save text, and chain policies carry their counters too.
     */
    static NamespaceState state(SimnetHandle h, Target t) {
        return new NamespaceState(t, t.toString(), addresses(h, t), routes(h, t), neighbours(h, t), fdb(h, t), conntrack(h, t),
                rules(h, t));
    }

    static List<Address> addresses(SimnetHandle h, Target t) {
        List<Address> addrs = new ArrayList<>();
        for (Map<?, ?> link : json(h, t, "ip", "-j", "-4", "addr")) {
            if (link.get("addr_info") instanceof List<?> infos) {
                for (Object o : infos) {
                    if (o instanceof Map<?, ?> a && "inet".equals(a.get("family"))) {
                        addrs.add(new Address(str(link, "ifname"), str(a, "local"), num(a, "prefixlen", 32), str(a, "scope")));
                    }
                }
            }
        }
        return addrs;
    }

    static List<Route> routes(SimnetHandle h, Target t) {
        List<Route> routes = new ArrayList<>();
        for (Map<?, ?> r : json(h, t, "ip", "-j", "route")) {
            routes.add(new Route(str(r, "dst"), str(r, "gateway"), str(r, "dev"), str(r, "prefsrc"),
                    r.get("protocol") == null ? "boot" : str(r, "protocol"), r.get("scope") == null ? "universe" : str(r, "scope"),
                    num(r, "metric", 0)));
        }
        return routes;
    }

    static List<Neighbour> neighbours(SimnetHandle h, Target t) {
        List<Neighbour> neigh = new ArrayList<>();
        for (Map<?, ?> n : json(h, t, "ip", "-j", "neigh")) {
            Object st = n.get("state");
            String state = st instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : String.valueOf(st);
            neigh.add(new Neighbour(str(n, "dev"), str(n, "dst"), str(n, "lladdr"), state));
        }
        return neigh;
    }

    static List<FdbEntry> fdb(SimnetHandle h, Target t) {
        List<FdbEntry> fdb = new ArrayList<>();
        for (Map<?, ?> f : json(h, t, "bridge", "-j", "fdb", "show")) {
            // entries without a master are the devices' own multicast addresses ("self"), not a bridge's table
            if (f.get("master") == null || f.get("ifname") == null) {
                continue;
            }
            fdb.add(new FdbEntry(str(f, "master"), str(f, "ifname"), str(f, "mac"), "permanent".equals(f.get("state"))));
        }
        return fdb;
    }

    static List<ConntrackEntry> conntrack(SimnetHandle h, Target t) {
        List<ConntrackEntry> ct = new ArrayList<>();
        ExecResult c = h.exec(t, "conntrack", "-L");
        if (c.ok()) {
            for (String line : c.stdout().split("\n")) {
                ConntrackEntry e = conntrackLine(line);
                if (e != null) {
                    ct.add(e);
                }
            }
        }
        return ct;
    }

    static List<RuleCounter> rules(SimnetHandle h, Target t) {
        List<RuleCounter> rules = new ArrayList<>();
        ExecResult s = h.exec(t, "iptables-save", "-c");
        if (s.ok()) {
            String table = null;
            for (String line : s.stdout().split("\n")) {
                if (line.startsWith("*")) {
                    table = line.substring(1).trim();
                    continue;
                }
                Matcher m = COUNTER.matcher(line);
                if (m.matches() && table != null) {
                    rules.add(new RuleCounter(table, m.group(3), m.group(4), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                    continue;
                }
                Matcher p = POLICY.matcher(line);
                if (p.matches() && table != null) {
                    rules.add(new RuleCounter(table, p.group(1), "policy " + p.group(2), Long.parseLong(p.group(3)),
                            Long.parseLong(p.group(4))));
                }
            }
        }
        return rules;
    }

    /** One {@code conntrack -L} line as a record, or null when it is not an entry. */
    static ConntrackEntry conntrackLine(String line) {
        String[] w = line.trim().split("\\s+");
        if (w.length < 4) {
            return null;
        }
        String proto = w[0];
        long ttl;
        try {
            ttl = Long.parseLong(w[2]);
        } catch (NumberFormatException e) {
            return null;
        }
        String state = proto.equals("tcp") && w.length > 3 && !w[3].startsWith("src=") ? w[3] : null;
        Matcher m = CT_TUPLE.matcher(line);
        List<FlowTuple> tuples = new ArrayList<>();
        while (m.find()) {
            if (m.group(3) != null) {
                tuples.add(new FlowTuple(m.group(1), Integer.parseInt(m.group(3)), m.group(2), Integer.parseInt(m.group(4))));
            } else if (m.group(5) == null) {
                tuples.add(new FlowTuple(m.group(1), 0, m.group(2), 0)); // no ports: an "unknown" protocol (IGMP…)
            } else {
                int type = Integer.parseInt(m.group(5));
                int code = Integer.parseInt(m.group(6));
                tuples.add(new FlowTuple(m.group(1), Integer.parseInt(m.group(7)), m.group(2), (type << 8) | code));
            }
        }
        if (tuples.size() < 2) {
            return null;
        }
        FlowTuple o = tuples.get(0);
        FlowTuple r = tuples.get(1);
        return new ConntrackEntry(proto, state, o, r, !line.contains("[UNREPLIED]"), line.contains("[ASSURED]"),
                !r.destination().equals(o.source()), !r.source().equals(o.destination()), ttl);
    }

    private static final Pattern ANSWER_A = Pattern.compile("(?m)^\\S+\\s+\\d+\\s+IN\\s+A\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)\\s*$");
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

    /** Resolves through the namespace's {@code dig +search} (resolv.conf's servers and search list). */
    static Resolution resolve(SimnetHandle h, Target t, String name) {
        if (name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return new Resolution(name, Resolution.Status.HOSTS, List.of(name));
        }
        ExecResult r = h.exec(t, "dig", "+search", name, "A");
        Matcher st = STATUS.matcher(r.stdout());
        if (!st.find()) {
            return new Resolution(name, Resolution.Status.TIMEOUT, List.of());
        }
        List<String> addrs = new ArrayList<>();
        Matcher a = ANSWER_A.matcher(r.stdout());
        while (a.find()) {
            addrs.add(a.group(1));
        }
        Resolution.Status s;
        switch (st.group(1)) {
            case "NOERROR": s = addrs.isEmpty() ? Resolution.Status.NODATA : Resolution.Status.NOERROR; break;
            case "NXDOMAIN": s = Resolution.Status.NXDOMAIN; break;
            default: s = Resolution.Status.SERVFAIL; break;
        }
        return new Resolution(name, s, addrs);
    }
}
