/**
 * Network namespaces: interfaces, addresses, routes, neighbours, sysctls, netfilter and socket seams; the IPv4 layer (ip_rcv, ip_forward, ip_local_deliver, ip_output, ICMP).
 */
package dev.simnet.ns;
