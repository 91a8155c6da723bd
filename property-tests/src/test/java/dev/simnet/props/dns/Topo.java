package dev.simnet.props.dns;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.DnsNetwork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A random compose-like topology for the DNS properties: networks, services with replicas attached
 * to some networks (in order) with aliases, a custom hostname, and an optional link. Its
 * {@link #toString()} reads like a compose file so shrunk counterexamples are easy to follow.
 */
record Topo(List<Boolean> internal, List<Service> services) {
    static final String[] NETWORKS = {"front", "back", "data", "mgmt"};

    /** One service. */
    record Service(String name, int replicas, List<Integer> networks, List<String> aliases, String hostname,
                   String linkAlias, String linkTarget) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("  " + name + ": replicas=" + replicas + " networks=[");
            for (int i = 0; i < networks.size(); i++) {
                sb.append(i > 0 ? "," : "").append(NETWORKS[networks.get(i)]);
            }
            sb.append("] aliases=").append(aliases);
            if (!hostname.isEmpty()) {
                sb.append(" hostname=").append(hostname);
            }
            if (!linkAlias.isEmpty()) {
                sb.append(" links=[").append(linkTarget).append(':').append(linkAlias).append(']');
            }
            return sb.toString();
        }
    }

    Set<String> internalNetworks() {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < internal.size(); i++) {
            if (internal.get(i)) {
                out.add(NETWORKS[i]);
            }
        }
        return out;
    }

    List<DnsNetwork> dnsNetworks() {
        List<DnsNetwork> out = new ArrayList<>();
        for (int i = 0; i < internal.size(); i++) {
            out.add(new DnsNetwork(NETWORKS[i], internal.get(i)));
        }
        return out;
    }

    /** The containers Docker would run: {@code <service>-<n>}, addresses 10.<net>.<svc>.<n+1>, start order. */
    List<DnsContainer> containers() {
        List<DnsContainer> out = new ArrayList<>();
        int id = 1;
        for (int s = 0; s < services.size(); s++) {
            Service svc = services.get(s);
            for (int r = 1; r <= svc.replicas(); r++) {
                List<DnsEndpoint> eps = new ArrayList<>();
                for (int n : svc.networks()) {
                    eps.add(new DnsEndpoint(NETWORKS[n], Ipv4Address.of(10, n, s, r + 1), svc.aliases()));
                }
                Map<String, String> links = new LinkedHashMap<>();
                if (!svc.linkAlias().isEmpty()) {
                    links.put(svc.linkAlias(), svc.linkTarget() + "-1");
                }
                String shortId = String.format("%012x", 0xabc000 + id++);
                out.add(new DnsContainer(svc.name() + "-" + r, shortId, svc.hostname().isEmpty() ? shortId : svc.hostname(),
                        svc.name(), eps, links, List.of()));
            }
        }
        return out;
    }

    /** Every name worth asking: all registered names, name.network forms, link aliases, unknowns, odd case. */
    List<String> probeNames() {
        List<String> names = new ArrayList<>();
        for (DnsContainer c : containers()) {
            names.addAll(c.baseNames());
            for (DnsEndpoint ep : c.endpoints()) {
                names.addAll(ep.aliases());
            }
            names.addAll(c.links().keySet());
        }
        List<String> withNet = new ArrayList<>();
        for (String n : names) {
            for (String net : NETWORKS) {
                withNet.add(n + "." + net);
            }
        }
        names.addAll(withNet);
        names.add("unknown");
        names.add("web.nowhere");
        List<String> upper = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 3) {
            upper.add(names.get(i).toUpperCase());
        }
        names.addAll(upper);
        return names.stream().distinct().toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("networks:");
        for (int i = 0; i < internal.size(); i++) {
            sb.append(' ').append(NETWORKS[i]).append(internal.get(i) ? "(internal)" : "");
        }
        sb.append("\nservices:\n");
        for (Service s : services) {
            sb.append(s).append('\n');
        }
        return sb.toString();
    }
}
