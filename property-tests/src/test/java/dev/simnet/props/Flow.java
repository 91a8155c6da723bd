package dev.simnet.props;

import dev.simnet.addr.Ipv4Address;

/**
 * One generated flow, printed the way a person reads it: {@code tcp 172.18.0.2:40000 -> 203.0.113.10:80}
 * (ICMP: {@code icmp 172.18.0.2 id 7 -> 203.0.113.10}), so shrunk counterexamples are readable.
 */
record Flow(int proto, int src, int sport, int dst, int dport) {
    @Override
    public String toString() {
        if (proto == 1) {
            return "icmp " + Ipv4Address.format(src) + " id " + sport + " -> " + Ipv4Address.format(dst);
        }
        return (proto == 6 ? "tcp " : "udp ") + Ipv4Address.format(src) + ":" + sport + " -> " + Ipv4Address.format(dst) + ":" + dport;
    }

    /** The same flow's identity for the reply direction as seen outside, after translation. */
    Flow swapped() {
        return new Flow(proto, dst, dport, src, sport);
    }
}
