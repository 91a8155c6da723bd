/**
 * Text renderings of a rule set as a Docker 29 host (iptables-nft) shows it: {@code iptables-save},
 * {@code nft list ruleset} (iptables-nft's translation), and the {@code iptables-restore} input the
 * Linux backend loads into a real kernel.
 */
package dev.simnet.netfilter.render;
