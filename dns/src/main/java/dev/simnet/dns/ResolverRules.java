package dev.simnet.dns;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How Docker makes its resolver answer on 127.0.0.11:53 inside a container's namespace (moby
 * {@code libnetwork/resolver_unix.go} {@code setupIPTable}): the resolver listens on
 * 127.0.0.11 at two random ephemeral ports (UDP and TCP differ), the nat table's OUTPUT chain
 * jumps to {@code DOCKER_OUTPUT}, which DNATs port 53 to them, and POSTROUTING jumps to
 * {@code DOCKER_POSTROUTING}, which SNATs replies back to source port 53. This class holds the
 * two ports and renders the rules as data and as {@code iptables -t nat -S} prints them.
 *
 * @param udpPort the resolver's UDP port
 * @param tcpPort the resolver's TCP port
 */
public record ResolverRules(int udpPort, int tcpPort) {
    /** The resolver's address. */
    public static final String ADDRESS = "127.0.0.11";

    /** One nat rule: chain, protocol ({@code null} for any), the port matched and the translation. */
    public record NatRule(String chain, String proto, String match, String target) {
    }

    /** Two distinct ports from Linux's default ephemeral range (32768–60999), drawn from {@code random}. */
    public static ResolverRules pick(RandomGenerator random) {
        int udp = random.nextInt(32768, 61000);
        int tcp;
        do {
            tcp = random.nextInt(32768, 61000);
        } while (tcp == udp);
        return new ResolverRules(udp, tcp);
    }

    /** The rules in the order iptables lists them. */
    public List<NatRule> rules() {
        return List.of(
                new NatRule("OUTPUT", null, "-d 127.0.0.11/32", "-j DOCKER_OUTPUT"),
                new NatRule("POSTROUTING", null, "-d 127.0.0.11/32", "-j DOCKER_POSTROUTING"),
                new NatRule("DOCKER_OUTPUT", "tcp", "-d 127.0.0.11/32 -p tcp -m tcp --dport 53",
                        "-j DNAT --to-destination 127.0.0.11:" + tcpPort),
                new NatRule("DOCKER_OUTPUT", "udp", "-d 127.0.0.11/32 -p udp -m udp --dport 53",
                        "-j DNAT --to-destination 127.0.0.11:" + udpPort),
                new NatRule("DOCKER_POSTROUTING", "tcp", "-s 127.0.0.11/32 -p tcp -m tcp --sport " + tcpPort,
                        "-j SNAT --to-source :53"),
                new NatRule("DOCKER_POSTROUTING", "udp", "-s 127.0.0.11/32 -p udp -m udp --sport " + udpPort,
                        "-j SNAT --to-source :53"));
    }

    /** {@code iptables -t nat -S} inside the container's namespace. */
    public String iptablesNatS() {
        StringBuilder sb = new StringBuilder();
        sb.append("-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n");
        sb.append("-N DOCKER_OUTPUT\n-N DOCKER_POSTROUTING\n");
        for (NatRule r : rules()) {
            sb.append("-A ").append(r.chain()).append(' ').append(r.match()).append(' ').append(r.target()).append('\n');
        }
        return sb.toString();
    }
}
