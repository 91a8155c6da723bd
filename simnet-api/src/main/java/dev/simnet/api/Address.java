package dev.simnet.api;

/**
 * An IPv4 address on an interface, as {@code ip -4 addr} lists it.
 *
 * @param ifname       the interface ({@code eth0}, {@code lo}, {@code br-…})
 * @param address      the address, dotted quad
 * @param prefixLength the prefix length
 * @param scope        {@code global}, {@code link} or {@code host}
 */
public record Address(String ifname, String address, int prefixLength, String scope) {
    /** {@code address/prefixLength}. */
    public String cidr() {
        return address + "/" + prefixLength;
    }
}
