package dev.simnet.props.dns;

import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately naive reference model of Docker's embedded DNS lookup, written apart from the
 * implementation: it scans every container for every query instead of using an index.
 * Rules: try the whole name on all of the asker's networks, then {@code a.b} on network {@code c}
 * and so on; per try the asker's link aliases first, then the regular names (container name,
 * service, short id, hostname, endpoint aliases); the asker's networks ordered as moby orders a
 * sandbox's endpoints (non-internal first, then by name), the first network with any match gives
 * all its matching addresses; names compared case-insensitively, the network suffix and link
 * aliases exactly.
 */
final class DockerDnsReference {
    private DockerDnsReference() {
    }

    /** The addresses (as bits) {@code asker} gets for {@code query}, or null for "not a container name". */
    static Set<Integer> resolve(List<DnsContainer> all, Set<String> internalNetworks, DnsContainer asker, String query) {
        List<DnsEndpoint> ordered = new ArrayList<>();
        for (boolean internalPass : new boolean[] {false, true}) {
            List<DnsEndpoint> group = new ArrayList<>();
            for (DnsEndpoint e : asker.endpoints()) {
                if (internalNetworks.contains(e.network()) == internalPass) {
                    group.add(e);
                }
            }
            group.sort((x, y) -> x.network().compareTo(y.network()));
            ordered.addAll(group);
        }
        String q = query;
        if (q.endsWith(".")) {
            q = q.substring(0, q.length() - 1);
        }
        List<String[]> tries = new ArrayList<>();
        tries.add(new String[] {q, null});
        for (int i = q.length() - 1; i > 0; i--) {
            if (q.charAt(i) == '.') {
                tries.add(new String[] {q.substring(0, i), q.substring(i + 1)});
            }
        }
        for (String[] t : tries) {
            String req = t[0];
            String net = t[1];
            String linkTarget = null;
            for (Map.Entry<String, String> l : asker.links().entrySet()) {
                if (l.getKey().equals(req)) {
                    linkTarget = l.getValue();
                }
            }
            String wanted = (linkTarget != null ? linkTarget : req).toLowerCase(Locale.ROOT);
            for (DnsEndpoint mine : ordered) {
                if (net != null && !mine.network().equals(net)) {
                    continue;
                }
                Set<Integer> found = new LinkedHashSet<>();
                for (DnsContainer c : all) {
                    for (DnsEndpoint ep : c.endpoints()) {
                        if (!ep.network().equals(mine.network())) {
                            continue;
                        }
                        List<String> names = new ArrayList<>(List.of(c.name(), c.service(), c.shortId(), c.hostname()));
                        names.addAll(ep.aliases());
                        for (String n : names) {
                            if (!n.isEmpty() && n.toLowerCase(Locale.ROOT).equals(wanted)) {
                                found.add(ep.address().bits());
                            }
                        }
                    }
                }
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return null;
    }
}
