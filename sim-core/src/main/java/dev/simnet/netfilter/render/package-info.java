/**
 * Text renderings of a rule set: {@code iptables-save}, {@code nft list ruleset}, and an
 * {@code nft -f} script the Linux backend loads into a real kernel.
 */
package dev.simnet.netfilter.render;
