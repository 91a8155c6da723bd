package dev.simnet.netfilter;

import dev.simnet.addr.Ipv4Cidr;

/**
 * One rule condition, as data (iptables matches / nftables expressions). Each kind is a small
 * record; {@link Netfilter} evaluates them against the parsed packet. Negation is a field, as
 * iptables' {@code !}.
 */
public sealed interface Match {

    /** Conntrack state bit: packet is not associated with any known connection. */
    int CT_INVALID = 1;
    /** Conntrack state bit: first packet(s) of a connection (no reply seen yet). */
    int CT_NEW = 2;
    /** Conntrack state bit: packet of a connection that has seen traffic both ways. */
    int CT_ESTABLISHED = 4;
    /** Conntrack state bit: packet related to a known connection (ICMP error). */
    int CT_RELATED = 8;
    /** Conntrack state bit: the connection's original destination was altered. */
    int CT_DNAT = 16;
    /** Conntrack state bit: the connection's original source was altered. */
    int CT_SNAT = 32;

    /** {@code -s addr/len} (or {@code ! -s}). */
    record Source(Ipv4Cidr cidr, boolean negate) implements Match { }

    /** {@code -d addr/len} (or {@code ! -d}). */
    record Destination(Ipv4Cidr cidr, boolean negate) implements Match { }

    /** {@code -i name} ({@code name+} is a prefix wildcard). Never matches locally generated packets unless negated. */
    record InInterface(String name, boolean negate) implements Match { }

    /** {@code -o name} ({@code name+} is a prefix wildcard). */
    record OutInterface(String name, boolean negate) implements Match { }

    /** {@code -p proto} by IP protocol number (6 tcp, 17 udp, 1 icmp). */
    record Protocol(int protocol, boolean negate) implements Match { }

    /** {@code --sport lo[:hi]}; needs a TCP or UDP packet. */
    record SourcePort(int low, int high, boolean negate) implements Match { }

    /** {@code --dport lo[:hi]}; needs a TCP or UDP packet. */
    record DestinationPort(int low, int high, boolean negate) implements Match { }

    /** {@code -m addrtype --src-type LOCAL} ({@code source} true) or {@code --dst-type LOCAL}. */
    record AddrTypeLocal(boolean source, boolean negate) implements Match { }

    /** {@code -m conntrack --ctstate A,B} as a bit set of the {@code CT_*} constants. */
    record CtState(int states, boolean negate) implements Match { }

    /** {@code -p icmp --icmp-type type[/code]}; code -1 for any. */
    record IcmpType(int type, int code, boolean negate) implements Match { }

    /** Helper constructors so rule building reads like iptables. */
    final class Of {
        private Of() {
        }

        /** {@code -s cidr}. */
        public static Match src(String cidr) {
            return new Source(Ipv4Cidr.parse(cidr), false);
        }

        /** {@code ! -s cidr}. */
        public static Match notSrc(String cidr) {
            return new Source(Ipv4Cidr.parse(cidr), true);
        }

        /** {@code -d cidr}. */
        public static Match dst(String cidr) {
            return new Destination(Ipv4Cidr.parse(cidr), false);
        }

        /** {@code ! -d cidr}. */
        public static Match notDst(String cidr) {
            return new Destination(Ipv4Cidr.parse(cidr), true);
        }

        /** {@code -i name}. */
        public static Match in(String name) {
            return new InInterface(name, false);
        }

        /** {@code ! -i name}. */
        public static Match notIn(String name) {
            return new InInterface(name, true);
        }

        /** {@code -o name}. */
        public static Match out(String name) {
            return new OutInterface(name, false);
        }

        /** {@code ! -o name}. */
        public static Match notOut(String name) {
            return new OutInterface(name, true);
        }

        /** {@code -p tcp|udp|icmp|number}. */
        public static Match proto(String name) {
            return new Protocol(protocolNumber(name), false);
        }

        /** {@code --dport p}. */
        public static Match dport(int p) {
            return new DestinationPort(p, p, false);
        }

        /** {@code --sport p}. */
        public static Match sport(int p) {
            return new SourcePort(p, p, false);
        }

        /** {@code -m addrtype --dst-type LOCAL}. */
        public static Match dstLocal() {
            return new AddrTypeLocal(false, false);
        }

        /** {@code -m addrtype --src-type LOCAL}. */
        public static Match srcLocal() {
            return new AddrTypeLocal(true, false);
        }

        /** {@code -m conntrack --ctstate} with the given {@code CT_*} bits. */
        public static Match ctstate(int bits) {
            return new CtState(bits, false);
        }
    }

    /** The IP protocol number for {@code tcp}, {@code udp}, {@code icmp} or a decimal number. */
    static int protocolNumber(String name) {
        switch (name) {
            case "tcp":
                return 6;
            case "udp":
                return 17;
            case "icmp":
                return 1;
            case "all":
                return 0;
            default:
                try {
                    return Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unknown protocol: " + name);
                }
        }
    }

    /** The name iptables prints for a protocol number. */
    static String protocolName(int proto) {
        switch (proto) {
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 1:
                return "icmp";
            default:
                return Integer.toString(proto);
        }
    }
}
