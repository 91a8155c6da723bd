package dev.simnet.scenarios.docker;

import java.util.List;

/**
 * Daemon settings that change what the control plane produces.
 *
 * @param seed          master seed for ids, MACs, veth names
 * @param macScheme     how container MACs are chosen
 * @param userlandProxy daemon's {@code userland-proxy} (default true)
 * @param epochSeconds  the virtual wall-clock time (Unix seconds) at which the simulated daemon starts;
 *                      "Created" timestamps derive from it, so output is deterministic
 * @param hostUpstreams the host's nameservers (what the embedded DNS forwards to)
 * @param hostHostname  the Docker host's hostname ({@code network_mode: host} containers see it)
 */
public record DockerOptions(long seed, MacScheme macScheme, boolean userlandProxy, long epochSeconds,
                            List<String> hostUpstreams, String hostHostname) {

    /** 2026-01-01T00:00:00Z: the default virtual epoch. */
    public static final long DEFAULT_EPOCH = 1767225600L;

    /** The upstream resolver in the simulated "internet" (203.0.113.0/24, TEST-NET-3). */
    public static final String DEFAULT_UPSTREAM = "203.0.113.53";

    /** Docker 29 defaults with seed 1. */
    public static DockerOptions defaults() {
        return new DockerOptions(1L, MacScheme.RANDOM, true, DEFAULT_EPOCH, List.of(DEFAULT_UPSTREAM), "docker-host");
    }

    /** The same options with another seed. */
    public DockerOptions withSeed(long s) {
        return new DockerOptions(s, macScheme, userlandProxy, epochSeconds, hostUpstreams, hostHostname);
    }

    /** The same options with another MAC scheme. */
    public DockerOptions withMacScheme(MacScheme m) {
        return new DockerOptions(seed, m, userlandProxy, epochSeconds, hostUpstreams, hostHostname);
    }

    /** The same options with the userland proxy on or off. */
    public DockerOptions withUserlandProxy(boolean on) {
        return new DockerOptions(seed, macScheme, on, epochSeconds, hostUpstreams, hostHostname);
    }

    /** How Docker picks container MAC addresses. */
    public enum MacScheme {
        /** Docker 28 and later: random locally-administered unicast. */
        RANDOM,
        /** Docker 27 and earlier: {@code 02:42} followed by the four bytes of the IPv4 address. */
        LEGACY_0242
    }
}
