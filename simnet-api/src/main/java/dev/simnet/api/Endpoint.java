package dev.simnet.api;

import java.util.List;

/**
 * A container's attachment to one Docker network, as {@code docker inspect} shows it.
 *
 * @param network      the Docker network's name ({@code myproject_front}, {@code bridge})
 * @param ifname       the interface inside the container ({@code eth0})
 * @param address      the IPv4 address
 * @param prefixLength the subnet's prefix length
 * @param mac          the interface's MAC address
 * @param aliases      network-scoped DNS aliases given in the compose file
 */
public record Endpoint(String network, String ifname, String address, int prefixLength, String mac, List<String> aliases) {
    /** An endpoint; {@code aliases} is copied. */
    public Endpoint {
        aliases = List.copyOf(aliases);
    }
}
