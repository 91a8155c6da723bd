/**
 * Netfilter as data and as an engine: {@link dev.simnet.netfilter.RuleSet} (tables raw, mangle,
 * nat, filter; chains, rules of {@link dev.simnet.netfilter.Match}es and a
 * {@link dev.simnet.netfilter.Target}) and {@link dev.simnet.netfilter.Netfilter}, the
 * {@link dev.simnet.netfilter.PacketFilter} a namespace's IP layer calls at the five hooks. The same
 * rule set is rendered for the kernel by {@code render.NftRenderer}. Follows net/netfilter and
 * net/ipv4/netfilter in the Linux tree.
 */
package dev.simnet.netfilter;
