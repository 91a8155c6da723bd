package dev.simnet.dns;

import java.util.Objects;

/**
 * A network as the embedded DNS sees it: its Docker name and whether it is {@code internal: true}
 * (no forwarding to the host's upstreams unless the container set {@code dns:}).
 *
 * @param name     Docker's network name ({@code proj_default})
 * @param internal true for an internal network
 */
public record DnsNetwork(String name, boolean internal) {
    /** Checks the name. */
    public DnsNetwork {
        Objects.requireNonNull(name, "name");
    }
}
