package dev.simnet.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The live record set of one Docker host's embedded DNS. Changes (container start/stop, network
 * connect/disconnect) build a new immutable {@link DnsIndex} and publish it through a volatile
 * reference, so a query always sees one complete snapshot, never a half-applied change.
 * Writers are serialised; readers take no lock.
 */
public final class DnsRecords {
    private final Object writeLock = new Object();
    private final LinkedHashMap<String, DnsNetwork> networks = new LinkedHashMap<>();
    private final LinkedHashMap<String, DnsContainer> containers = new LinkedHashMap<>();
    private List<String> hostUpstreams;
    private DnsIndex.EndpointOrder order = DnsIndex.EndpointOrder.DOCKER;
    private volatile DnsIndex current;

    /** An empty record set forwarding to {@code hostUpstreams}. */
    public DnsRecords(List<String> hostUpstreams) {
        this.hostUpstreams = List.copyOf(hostUpstreams);
        this.current = new DnsIndex(List.of(), List.of(), this.hostUpstreams);
    }

    /** The current snapshot. */
    public DnsIndex snapshot() {
        return current;
    }

    /** Adds or replaces a network (one with embedded DNS). */
    public void addNetwork(DnsNetwork n) {
        change(() -> networks.put(n.name(), n));
    }

    /** Removes a network and every endpoint on it. */
    public void removeNetwork(String name) {
        change(() -> {
            networks.remove(name);
            containers.replaceAll((k, c) -> c.withoutNetwork(name));
        });
    }

    /** A container started (replaces one of the same name). */
    public void start(DnsContainer c) {
        change(() -> {
            containers.remove(c.name());
            containers.put(c.name(), c);
        });
    }

    /** A container stopped; its names disappear. */
    public void stop(String containerName) {
        change(() -> containers.remove(containerName));
    }

    /** {@code docker network connect}: the container gains an endpoint. */
    public void connect(String containerName, DnsEndpoint ep) {
        update(containerName, c -> c.withEndpoint(ep));
    }

    /** {@code docker network disconnect}: the container loses its endpoint on {@code network}. */
    public void disconnect(String containerName, String network) {
        update(containerName, c -> c.withoutNetwork(network));
    }

    /** Chooses the order an asker's networks are searched in (Docker's by default). */
    public void setEndpointOrder(DnsIndex.EndpointOrder o) {
        change(() -> order = o);
    }

    /** Replaces the host's upstream servers. */
    public void setHostUpstreams(List<String> upstreams) {
        change(() -> hostUpstreams = List.copyOf(upstreams));
    }

    /** Replaces everything at once (one snapshot). */
    public void replaceAll(List<DnsNetwork> nets, List<DnsContainer> ctrs, List<String> upstreams) {
        change(() -> {
            networks.clear();
            containers.clear();
            nets.forEach(n -> networks.put(n.name(), n));
            ctrs.forEach(c -> containers.put(c.name(), c));
            hostUpstreams = List.copyOf(upstreams);
        });
    }

    /** The running container called {@code name}. */
    public Optional<DnsContainer> container(String name) {
        synchronized (writeLock) {
            return Optional.ofNullable(containers.get(name));
        }
    }

    private void update(String name, UnaryOperator<DnsContainer> f) {
        change(() -> {
            DnsContainer c = containers.get(name);
            if (c == null) {
                throw new IllegalArgumentException("no running container called '" + name + "'");
            }
            containers.put(name, f.apply(c));
        });
    }

    private void change(Runnable r) {
        synchronized (writeLock) {
            r.run();
            current = new DnsIndex(new ArrayList<>(networks.values()), new ArrayList<>(containers.values()), hostUpstreams,
                    order);
        }
    }

    /** A read-only copy of the networks, by name. */
    public Map<String, DnsNetwork> networks() {
        synchronized (writeLock) {
            return Map.copyOf(networks);
        }
    }
}
