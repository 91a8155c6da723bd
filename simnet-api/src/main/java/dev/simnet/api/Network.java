package dev.simnet.api;

/**
 * A Docker network of the project.
 *
 * @param name     Docker name ({@code myproject_default}, {@code bridge} for docker0)
 * @param key      the compose key ({@code default}, {@code front}), {@code bridge} for docker0
 * @param subnet   the subnet ({@code 172.18.0.0/16})
 * @param gateway  the gateway address (the bridge's address on the host)
 * @param bridge   the Linux bridge's name ({@code br-…}, {@code docker0})
 * @param internal true for {@code internal: true} networks (no route out)
 */
public record Network(String name, String key, String subnet, String gateway, String bridge, boolean internal) {
}
