package dev.simnet.api;

/**
 * An ARP cache entry, as {@code ip neigh} lists it.
 *
 * @param ifname  the interface
 * @param address the IPv4 address
 * @param mac     the link-layer address, or null while unresolved ({@code INCOMPLETE}, {@code FAILED})
 * @param state   the NUD state name: {@code REACHABLE}, {@code STALE}, {@code DELAY}, {@code PROBE}, {@code INCOMPLETE}, {@code FAILED}, {@code PERMANENT}…
 */
public record Neighbour(String ifname, String address, String mac, String state) {
}
