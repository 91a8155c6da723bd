/**
 * Docker 29's iptables rules generated from a {@link dev.simnet.topology.TopologyPlan}: the host
 * namespace's NAT, forwarding and isolation rules and the per-container embedded-DNS NAT rules.
 */
package dev.simnet.netfilter.docker;
