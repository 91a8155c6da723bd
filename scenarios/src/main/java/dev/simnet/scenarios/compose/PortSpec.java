package dev.simnet.scenarios.compose;

/**
 * One {@code ports:} entry, short or long syntax, before host ports are chosen. Ranges are
 * inclusive; a missing host port ({@code "80"}) is {@code hostStart == 0}: Docker picks an
 * ephemeral one.
 *
 * @param hostIp         host address text ({@code "0.0.0.0"} when not given)
 * @param hostStart      first host port, 0 when none was given
 * @param hostEnd        last host port (equal to hostStart for one port)
 * @param containerStart first container port
 * @param containerEnd   last container port
 * @param protocol       {@code tcp} or {@code udp}
 * @param location       where it was written
 */
public record PortSpec(String hostIp, int hostStart, int hostEnd, int containerStart, int containerEnd, String protocol,
                       Location location) {
    /** Number of container ports. */
    public int count() {
        return containerEnd - containerStart + 1;
    }
}
