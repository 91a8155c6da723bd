package dev.simnet.trace;

/**
 * Receives a human-readable line for every datapath decision worth explaining — bridge learning and
 * flooding, ARP, routing, netfilter hook traversal, drops with their reason — for {@code simnet trace}.
 * Components hold a nullable sink: with none installed the hot path pays one null check and builds no
 * message.
 */
@FunctionalInterface
public interface TraceSink {
    /**
     * One decision.
     *
     * @param now       virtual time in nanoseconds
     * @param namespace namespace name
     * @param component {@code bridge}, {@code arp}, {@code route}, {@code hook}, {@code drop}, {@code icmp}, {@code netem}
     * @param message   what happened, in words
     */
    void trace(long now, String namespace, String component, String message);
}
