package dev.simnet.api;

/**
 * The packet and byte counters of one netfilter rule (or of a built-in chain's policy), as
 * {@code iptables-save -c} shows them.
 *
 * @param table   {@code filter}, {@code nat}, {@code mangle} or {@code raw}
 * @param chain   the chain ({@code DOCKER}, {@code POSTROUTING}…)
 * @param rule    the rule in iptables-save syntax without {@code -A CHAIN} ({@code -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE}), or {@code policy ACCEPT}
 * @param packets packets that matched
 * @param bytes   bytes that matched
 */
public record RuleCounter(String table, String chain, String rule, long packets, long bytes) {
}
