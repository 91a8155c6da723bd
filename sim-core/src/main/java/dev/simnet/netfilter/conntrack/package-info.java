/**
 * Connection tracking (net/netfilter/nf_conntrack_*.c): tuples, entries, the per-namespace table
 * with primitive-keyed hashing, the TCP/UDP/ICMP/generic trackers with Linux's default timeouts,
 * and the {@code conntrack -L} listing.
 */
package dev.simnet.netfilter.conntrack;
