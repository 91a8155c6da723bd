package dev.simnet.api;

/**
 * A bridge forwarding-database entry, as {@code bridge fdb} lists it.
 *
 * @param bridge    the bridge ({@code docker0}, {@code br-…})
 * @param port      the port the MAC sits behind (the bridge itself for its own address)
 * @param mac       the MAC address, lower-case colon form
 * @param permanent true for the bridge's and its ports' own addresses, false for learned ones
 */
public record FdbEntry(String bridge, String port, String mac, boolean permanent) {
}
