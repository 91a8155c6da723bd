/**
 * NAT (net/netfilter/nf_nat_core.c, nf_nat_proto.c): unique-tuple selection with Linux's port
 * preservation and class search, and in-place packet rewriting with RFC 1624 incremental checksums,
 * ICMP errors' quoted headers included.
 */
package dev.simnet.netfilter.nat;
