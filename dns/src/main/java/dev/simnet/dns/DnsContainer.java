package dev.simnet.dns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A running container as the embedded DNS sees it: the names it answers to on each of its
 * networks, its endpoints in attach order (the order the asker's networks are searched in), its
 * link aliases (alias to target container name, visible only to this container) and the upstream
 * servers it set with {@code dns:} (empty for the host's).
 *
 * @param name       container name ({@code proj-web-1})
 * @param shortId    the 12-hex short id
 * @param hostname   the hostname (may equal the short id)
 * @param service    the compose service name, or empty
 * @param endpoints  attachments in attach order
 * @param links      link alias to target container name
 * @param dnsServers upstream servers from {@code dns:} ({@code ip} or {@code ip:port}), or empty
 */
public record DnsContainer(String name, String shortId, String hostname, String service,
                           List<DnsEndpoint> endpoints, Map<String, String> links, List<String> dnsServers) {
    /** Copies the collections (links keep their order). */
    public DnsContainer {
        Objects.requireNonNull(name, "name");
        shortId = shortId == null ? "" : shortId;
        hostname = hostname == null ? "" : hostname;
        service = service == null ? "" : service;
        endpoints = List.copyOf(endpoints);
        links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(links));
        dnsServers = List.copyOf(dnsServers);
    }

    /** The names Docker registers for this container on every network it joins (before the endpoint's aliases). */
    public List<String> baseNames() {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        names.add(name);
        if (!service.isEmpty()) {
            names.add(service);
        }
        if (!shortId.isEmpty()) {
            names.add(shortId);
        }
        if (!hostname.isEmpty()) {
            names.add(hostname);
        }
        return names;
    }

    /** This container with one more endpoint (a {@code docker network connect}). */
    public DnsContainer withEndpoint(DnsEndpoint ep) {
        java.util.ArrayList<DnsEndpoint> eps = new java.util.ArrayList<>(endpoints);
        eps.removeIf(e -> e.network().equals(ep.network()));
        eps.add(ep);
        return new DnsContainer(name, shortId, hostname, service, eps, links, dnsServers);
    }

    /** This container without its endpoint on {@code network} (a {@code docker network disconnect}). */
    public DnsContainer withoutNetwork(String network) {
        java.util.ArrayList<DnsEndpoint> eps = new java.util.ArrayList<>(endpoints);
        eps.removeIf(e -> e.network().equals(network));
        return new DnsContainer(name, shortId, hostname, service, eps, links, dnsServers);
    }
}
