package dev.simnet.ns;

import dev.simnet.addr.Ipv4Cidr;

/**
 * An IPv4 address on an interface ({@code struct in_ifaddr}).
 *
 * @param ifindex   the interface
 * @param cidr      address and prefix length
 * @param broadcast the broadcast address, 0 when none was set ({@code ip addr add} without {@code brd})
 * @param scope     0 global, 253 link, 254 host
 * @param label     the label ({@code eth0})
 */
public record IfAddress(int ifindex, Ipv4Cidr cidr, int broadcast, int scope, String label) {
    /** Scope global. */
    public static final int SCOPE_GLOBAL = 0;
    /** Scope link. */
    public static final int SCOPE_LINK = 253;
    /** Scope host (127.0.0.1 on lo). */
    public static final int SCOPE_HOST = 254;

    /** The address bits. */
    public int address() {
        return cidr.address().bits();
    }
}
