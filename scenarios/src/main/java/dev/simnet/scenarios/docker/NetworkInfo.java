package dev.simnet.scenarios.docker;

import dev.simnet.topology.NetworkPlan;
import java.util.Map;

/**
 * What the daemon keeps about a network beyond the {@link NetworkPlan}: creation time, driver
 * options and labels as {@code docker network inspect} shows them.
 *
 * @param plan              the network
 * @param createdNanos      creation time in virtual nanoseconds since the epoch (may be negative: before the project)
 * @param options           driver options ({@code Options} in inspect)
 * @param labels            labels (compose adds its own)
 * @param configuredSubnet  true when the subnet came from {@code ipam.config} (inspect shows IPRange then)
 * @param attachable        {@code attachable}
 */
public record NetworkInfo(NetworkPlan plan, long createdNanos, Map<String, String> options, Map<String, String> labels,
                          boolean configuredSubnet, boolean attachable) {
}
