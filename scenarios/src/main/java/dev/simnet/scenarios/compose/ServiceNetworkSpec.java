package dev.simnet.scenarios.compose;

import java.util.List;

/**
 * A service's attachment to one network ({@code services.x.networks.y}).
 *
 * @param key           the network's key in the compose file
 * @param aliases       network-scoped aliases
 * @param ipv4Address   pinned address, or null
 * @param macAddress    pinned MAC, or null
 * @param interfaceName requested container-side interface name, or null
 * @param priority      compose {@code priority} (higher attaches first)
 * @param location      where it was written
 */
public record ServiceNetworkSpec(String key, List<String> aliases, String ipv4Address, String macAddress,
                                 String interfaceName, int priority, Location location) {
}
