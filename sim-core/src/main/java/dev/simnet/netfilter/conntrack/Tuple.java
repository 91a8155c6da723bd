package dev.simnet.netfilter.conntrack;

import dev.simnet.addr.Ipv4Address;

/**
 * A conntrack tuple (include/net/netfilter/nf_conntrack_tuple.h), IPv4 only: protocol, addresses,
 * and the protocol part — ports for TCP/UDP; for ICMP the echo id in {@code sport} and
 * {@code type << 8 | code} in {@code dport}, as the kernel keeps the id on the source side and the
 * type on the destination side.
 */
public record Tuple(int proto, int src, int dst, int sport, int dport) {
    /** IP protocol numbers. */
    public static final int ICMP = 1;
    /** TCP. */
    public static final int TCP = 6;
    /** UDP. */
    public static final int UDP = 17;

    /** A TCP or UDP tuple from dotted quads. */
    public static Tuple of(String proto, String src, int sport, String dst, int dport) {
        int p = "tcp".equals(proto) ? TCP : "udp".equals(proto) ? UDP : Integer.parseInt(proto);
        return new Tuple(p, Ipv4Address.parseBits(src), Ipv4Address.parseBits(dst), sport, dport);
    }

    /** The tuple of the answer: addresses and ports swapped; for ICMP the id kept and the type inverted. */
    public Tuple reply() {
        if (proto == ICMP) {
            int t = IcmpTypes.invert(dport >>> 8);
            return new Tuple(proto, dst, src, sport, t < 0 ? dport : (t << 8) | (dport & 0xff));
        }
        return new Tuple(proto, dst, src, dport, sport);
    }

    /** Protocol name as conntrack prints it. */
    public static String protoName(int proto) {
        switch (proto) {
            case TCP: return "tcp";
            case UDP: return "udp";
            case ICMP: return "icmp";
            case 47: return "gre";
            case 132: return "sctp";
            case 136: return "udplite";
            case 33: return "dccp";
            default: return "unknown";
        }
    }

    /** {@code tcp 172.18.0.2:40000 -> 203.0.113.10:80} (ICMP: {@code icmp 172.18.0.2 -> 8.8.8.8 type=8 code=0 id=7}). */
    @Override
    public String toString() {
        if (proto == ICMP) {
            return "icmp " + Ipv4Address.format(src) + " -> " + Ipv4Address.format(dst)
                    + " type=" + (dport >>> 8) + " code=" + (dport & 0xff) + " id=" + sport;
        }
        if (proto == TCP || proto == UDP) {
            return protoName(proto) + " " + Ipv4Address.format(src) + ":" + sport + " -> " + Ipv4Address.format(dst) + ":" + dport;
        }
        return "proto " + proto + " " + Ipv4Address.format(src) + " -> " + Ipv4Address.format(dst);
    }
}
