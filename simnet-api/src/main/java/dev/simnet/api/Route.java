package dev.simnet.api;

/**
 * One IPv4 route of the main table, as {@code ip route} lists it.
 *
 * @param destination {@code default} or a prefix such as {@code 172.18.0.0/16}
 * @param gateway     the next hop, or null for a directly connected route
 * @param device      the output interface
 * @param source      the preferred source address, or null
 * @param protocol    {@code kernel}, {@code boot} or {@code static}
 * @param scope       {@code universe} or {@code link}
 * @param metric      the metric
 */
public record Route(String destination, String gateway, String device, String source, String protocol, String scope,
                    int metric) {
    /** True for the default route. */
    public boolean isDefault() {
        return destination.equals("default");
    }
}
