package dev.simnet.topology;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;

/**
 * One Docker bridge network as the daemon would create it.
 *
 * @param name         Docker's network name ({@code bridge}, {@code myproj_default})
 * @param key          the key in the compose file ({@code default}, {@code backend}) or the name for docker0
 * @param id           the 64-hex network id (seeded)
 * @param bridgeName   {@code docker0} or {@code br-} plus the first 12 hex of the id (or driver_opts' name)
 * @param subnet       the subnet, canonical (172.18.0.0/16)
 * @param gateway      the bridge's own address (172.18.0.1)
 * @param ipRange      the range containers are allocated from (often equal to the subnet)
 * @param bridgeMac    the bridge's MAC
 * @param internal     {@code internal: true}: no MASQUERADE, nothing in or out of the subnet
 * @param icc          inter-container communication allowed on this bridge
 * @param defaultBridge true for the default {@code bridge} network (docker0): no embedded DNS
 * @param external     declared {@code external: true} in the compose file
 */
public record NetworkPlan(String name, String key, String id, String bridgeName, Ipv4Cidr subnet, Ipv4Address gateway,
                          Ipv4Cidr ipRange, MacAddress bridgeMac, boolean internal, boolean icc, boolean defaultBridge,
                          boolean external) {

    /** True where Docker runs its embedded DNS server (every user-defined network). */
    public boolean embeddedDns() {
        return !defaultBridge;
    }
}
