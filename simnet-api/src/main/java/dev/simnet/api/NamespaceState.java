package dev.simnet.api;

import java.util.List;

/**
 * A snapshot of one network namespace at one moment of (virtual) time.
 *
 * @param target      whose namespace (containers sharing a namespace show the same state)
 * @param namespace   the namespace's name
 * @param addresses   IPv4 addresses, loopback included
 * @param routes      the main routing table
 * @param neighbours  the ARP caches of every interface
 * @param fdb         forwarding databases of the bridges in this namespace (the host's {@code docker0}, {@code br-…})
 * @param conntrack   connection-tracking entries (empty where netfilter is not loaded)
 * @param rules       rule and policy counters of every table and chain
 */
public record NamespaceState(Target target, String namespace, List<Address> addresses, List<Route> routes,
                             List<Neighbour> neighbours, List<FdbEntry> fdb, List<ConntrackEntry> conntrack,
                             List<RuleCounter> rules) {
    /** A snapshot; lists are copied. */
    public NamespaceState {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        conntrack = List.copyOf(conntrack);
        rules = List.copyOf(rules);
    }
}
