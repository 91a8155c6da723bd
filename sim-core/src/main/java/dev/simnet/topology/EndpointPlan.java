package dev.simnet.topology;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import java.util.List;

/**
 * A container's attachment to one network: the container side ({@code eth0}) and the host side
 * veth that is enslaved to the network's bridge.
 *
 * @param network   the network's Docker name
 * @param ifname    container-side name, {@code eth0}, {@code eth1}… in attach order
 * @param address   the container's address on that network
 * @param prefixLength the subnet's prefix length
 * @param mac       the container-side MAC
 * @param hostVeth  host-side veth name ({@code veth} plus 7 hex)
 * @param aliases   the network-scoped aliases (compose {@code aliases:}), service name not included
 */
public record EndpointPlan(String network, String ifname, Ipv4Address address, int prefixLength, MacAddress mac,
                           String hostVeth, List<String> aliases) {
}
