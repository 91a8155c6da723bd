package dev.simnet.dns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable snapshot of every name the embedded DNS answers, and Docker's lookup rules over it
 * (moby {@code libnetwork/sandbox_dns_unix.go} {@code ResolveName}/{@code ResolveIP} and
 * {@code network.go} {@code ResolveName}):
 * <ul>
 * <li>a name {@code a.b.c} is tried whole on every network of the asker, then as {@code a.b} on
 *     network {@code c}, then {@code a} on network {@code b.c};</li>
 * <li>for each try, the asker's link aliases first (only its own), then the regular names;</li>
 * <li>networks are searched in the order moby keeps a sandbox's endpoints ({@code Endpoint.Less} in
 *     {@code sandbox.go}: non-internal networks before internal ones, then by network name; the
 *     gateway priority is taken as 0 for all), or in attach order with {@link EndpointOrder#ATTACH};
 *     the first network that knows the name wins, with all of its addresses for that name
 *     (duplicates removed);</li>
 * <li>names are case-insensitive, but the network part of {@code name.network} and link aliases
 *     must match exactly (moby compares those as given); PTR answers {@code <container>.<network>}.</li>
 * </ul>
 * Built once per change by {@link DnsRecords}; queries read it without locks.
 */
public final class DnsIndex {
    /** The order in which an asker's networks are searched. */
    public enum EndpointOrder {
        /** moby's sandbox endpoint order: non-internal first, then network name ascending. */
        DOCKER,
        /** The order the container was attached to its networks. */
        ATTACH
    }

    /** The names and reverse records of one network. */
    static final class NetTable {
        final DnsNetwork network;
        final String lowerName;
        final HashMap<String, int[]> names = new HashMap<>();
        final HashMap<Integer, String> ptr = new HashMap<>();

        NetTable(DnsNetwork network) {
            this.network = network;
            this.lowerName = network.name().toLowerCase(Locale.ROOT);
        }
    }

    /** One container that may ask: its networks' tables in attach order, its links and its upstream policy. */
    public static final class Asker {
        final String name;
        final NetTable[] tables;
        final HashMap<String, String> links;
        final List<String> dnsServers;
        final boolean anyExternal;

        Asker(String name, NetTable[] tables, HashMap<String, String> links, List<String> dnsServers, boolean anyExternal) {
            this.name = name;
            this.tables = tables;
            this.links = links;
            this.dnsServers = dnsServers;
            this.anyExternal = anyExternal;
        }

        /** The container's name. */
        public String name() {
            return name;
        }

        /** The networks searched for this asker, in order. */
        public List<String> networks() {
            List<String> out = new ArrayList<>();
            for (NetTable t : tables) {
                out.add(t.network.name());
            }
            return out;
        }
    }

    private final Map<String, NetTable> tables;       // by exact network name
    private final Map<String, Asker> askers;          // by container name
    private final List<DnsContainer> containers;
    private final List<DnsNetwork> networks;
    private final List<String> hostUpstreams;

    /** Builds the index with Docker's endpoint order; containers in start order (the order addresses are listed before shuffling). */
    public DnsIndex(Collection<DnsNetwork> networks, Collection<DnsContainer> containers, List<String> hostUpstreams) {
        this(networks, containers, hostUpstreams, EndpointOrder.DOCKER);
    }

    /** Builds the index searching each asker's networks in {@code order}. */
    public DnsIndex(Collection<DnsNetwork> networks, Collection<DnsContainer> containers, List<String> hostUpstreams,
                    EndpointOrder order) {
        this.networks = List.copyOf(networks);
        this.containers = List.copyOf(containers);
        this.hostUpstreams = List.copyOf(hostUpstreams);
        Map<String, NetTable> t = new LinkedHashMap<>();
        for (DnsNetwork n : networks) {
            t.put(n.name(), new NetTable(n));
        }
        Map<NetTable, LinkedHashMap<String, List<Integer>>> building = new HashMap<>();
        for (DnsContainer c : containers) {
            for (DnsEndpoint ep : c.endpoints()) {
                NetTable table = t.get(ep.network());
                if (table == null) {
                    continue; // a network without embedded DNS (default bridge) or unknown
                }
                LinkedHashMap<String, List<Integer>> names = building.computeIfAbsent(table, k -> new LinkedHashMap<>());
                List<String> all = new ArrayList<>(c.baseNames());
                all.addAll(ep.aliases());
                int bits = ep.address().bits();
                for (String n : all) {
                    List<Integer> list = names.computeIfAbsent(lower(n), k -> new ArrayList<>());
                    if (!list.contains(bits)) {
                        list.add(bits);
                    }
                }
                table.ptr.putIfAbsent(bits, c.name() + "." + table.network.name());
            }
        }
        for (Map.Entry<NetTable, LinkedHashMap<String, List<Integer>>> e : building.entrySet()) {
            for (Map.Entry<String, List<Integer>> n : e.getValue().entrySet()) {
                int[] a = new int[n.getValue().size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = n.getValue().get(i);
                }
                e.getKey().names.put(n.getKey(), a);
            }
        }
        this.tables = Collections.unmodifiableMap(t);
        Map<String, Asker> as = new HashMap<>();
        for (DnsContainer c : containers) {
            List<NetTable> mine = new ArrayList<>();
            boolean external = false;
            for (DnsEndpoint ep : c.endpoints()) {
                NetTable table = t.get(ep.network());
                if (table != null) {
                    mine.add(table);
                    external |= !table.network.internal();
                }
            }
            if (order == EndpointOrder.DOCKER) {
                mine.sort((x, y) -> {
                    if (x.network.internal() != y.network.internal()) {
                        return x.network.internal() ? 1 : -1;
                    }
                    return x.network.name().compareTo(y.network.name());
                });
            }
            HashMap<String, String> links = new HashMap<>();
            c.links().forEach((alias, target) -> links.put(alias, lower(target)));
            as.put(c.name(), new Asker(c.name(), mine.toArray(new NetTable[0]), links, c.dnsServers(), external));
        }
        this.askers = as;
    }

    /** An empty index (no networks, no containers). */
    public static DnsIndex empty() {
        return new DnsIndex(List.of(), List.of(), List.of());
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The asker called {@code containerName}, or null when no such container is running. */
    public Asker asker(String containerName) {
        return askers.get(containerName);
    }

    /** The networks of this snapshot. */
    public List<DnsNetwork> networks() {
        return networks;
    }

    /** The containers of this snapshot, in start order. */
    public List<DnsContainer> containers() {
        return containers;
    }

    /** The host's upstream servers. */
    public List<String> hostUpstreams() {
        return hostUpstreams;
    }

    /**
     * The addresses (unshuffled, in container start order) that {@code asker} gets for {@code name}
     * (with or without the trailing dot), or null when the name is not a container name on any of
     * the asker's networks (the query is then forwarded).
     */
    public int[] resolve(Asker asker, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return resolve(asker, n, lower(n));
    }

    /**
     * {@link #resolve} for a name without the trailing dot, given as asked ({@code name}) and
     * lower-cased ({@code lowerName}; the same string when it has no capitals): the fast path.
     */
    public int[] resolve(Asker asker, String name, String lowerName) {
        int[] r = resolveIn(asker, name, lowerName, null);
        if (r != null) {
            return r;
        }
        int dot = name.lastIndexOf('.');
        while (dot > 0) {
            String req = name.substring(0, dot);
            r = resolveIn(asker, req, lower(req), name.substring(dot + 1));
            if (r != null) {
                return r;
            }
            dot = name.lastIndexOf('.', dot - 1);
        }
        return null;
    }

    /**
     * One try of moby's {@code Sandbox.resolveName}: link aliases (matched exactly, as moby's
     * endpoint alias map is) then regular names (lower-cased, as {@code Network.ResolveName} does),
     * on the asker's networks in order, restricted to the network named exactly {@code network}.
     */
    private static int[] resolveIn(Asker asker, String req, String lowerReq, String network) {
        NetTable[] tables = asker.tables;
        if (!asker.links.isEmpty()) {
            String target = asker.links.get(req);
            if (target != null) {
                for (NetTable t : tables) {
                    if (network != null && !network.equals(t.network.name())) {
                        continue;
                    }
                    int[] a = t.names.get(target);
                    if (a != null) {
                        return a;
                    }
                }
                return null; // moby skips the regular lookup on endpoints that hold this alias
            }
        }
        for (NetTable t : tables) {
            if (network != null && !network.equals(t.network.name())) {
                continue;
            }
            int[] a = t.names.get(lowerReq);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    /** The PTR target ({@code container.network}, no trailing dot) for {@code address} as seen by {@code asker}, or null. */
    public String reverse(Asker asker, int address) {
        for (NetTable t : asker.tables) {
            String s = t.ptr.get(address);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * The upstream servers a query from {@code asker} is forwarded to: the container's {@code dns:}
     * servers when set, else the host's, else none when the asker is only on internal networks.
     */
    public List<String> upstreamsFor(Asker asker) {
        if (!asker.dnsServers.isEmpty()) {
            return asker.dnsServers;
        }
        if (!asker.anyExternal) {
            return List.of();
        }
        return hostUpstreams;
    }
}
