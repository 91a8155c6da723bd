package dev.simnet.dns;

import dev.simnet.addr.Ipv4Address;
import java.util.List;
import java.util.Objects;

/**
 * One attachment of a container to a network, with the network-scoped aliases it answers to
 * (compose {@code aliases:}; the service name is carried by {@link DnsContainer#service()}).
 *
 * @param network the network's Docker name
 * @param address the container's IPv4 address on that network
 * @param aliases network-scoped aliases
 */
public record DnsEndpoint(String network, Ipv4Address address, List<String> aliases) {
    /** Copies the alias list. */
    public DnsEndpoint {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(address, "address");
        aliases = List.copyOf(aliases);
    }
}
