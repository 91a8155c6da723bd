/**
 * Adapters between the DNS core and sim-core: records from a {@code TopologyPlan}, the container's
 * {@code /etc/resolv.conf} and {@code /etc/hosts}, and a {@code DnsTimer} on the virtual-time scheduler.
 */
package dev.simnet.dns.topology;
