package dev.simnet.api;

import java.util.List;

/**
 * A container of the project as the simulated daemon sees it.
 *
 * @param name        Docker name ({@code myproject-web-1} or its {@code container_name})
 * @param service     compose service
 * @param replica     1-based replica number
 * @param running     false after {@link SimnetHandle#stop}
 * @param hostname    the hostname programs inside see
 * @param networkMode {@code bridge} (own namespace), {@code service:X}/{@code container:X} (shared), {@code host} or {@code none}
 * @param endpoints   network attachments (empty when the namespace is shared or the container is stopped)
 */
public record Container(String name, String service, int replica, boolean running, String hostname, String networkMode,
                        List<Endpoint> endpoints) {
    /** A container; {@code endpoints} is copied. */
    public Container {
        endpoints = List.copyOf(endpoints);
    }
}
