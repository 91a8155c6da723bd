package dev.simnet.netfilter;

import dev.simnet.addr.Ipv4Address;

/**
 * What a rule does when all its matches hold, as data (iptables targets / nftables verdicts and
 * statements). NAT targets are only meaningful in the nat table.
 */
public sealed interface Target {

    /** Stop traversing this table; the packet goes on. */
    record Accept() implements Target { }

    /** Drop the packet. */
    record Drop() implements Target { }

    /** Drop and answer: ICMP port unreachable (default), another ICMP unreachable code, or a TCP reset. */
    record Reject(RejectWith with) implements Target { }

    /** Return to the calling chain (or apply the built-in chain's policy). */
    record Return() implements Target { }

    /** {@code -j CHAIN}: run a user chain, come back on RETURN or its end. */
    record Jump(String chain) implements Target { }

    /** {@code -g CHAIN}: run a user chain, and on its end return from the current chain. */
    record Goto(String chain) implements Target { }

    /**
     * {@code -j DNAT --to-destination addr[:lo[-hi]]}; ports 0 when not given.
     */
    record Dnat(Ipv4Address address, int portLow, int portHigh) implements Target { }

    /**
     * {@code -j SNAT --to-source [addr][:lo[-hi]]} (address null keeps the address);
     * {@code random} / {@code randomFully} disable port preservation.
     */
    record Snat(Ipv4Address address, int portLow, int portHigh, boolean random, boolean randomFully) implements Target { }

    /** {@code -j MASQUERADE [--to-ports lo[-hi]] [--random] [--random-fully]}. */
    record Masquerade(int portLow, int portHigh, boolean random, boolean randomFully) implements Target { }

    /** {@code -j LOG --log-prefix p} (non-terminating): the packet is reported to the trace sink. */
    record Log(String prefix) implements Target { }

    /** REJECT's answer. */
    enum RejectWith {
        /** ICMP type 3 code 3 (the default). */
        ICMP_PORT_UNREACHABLE("icmp-port-unreachable", 3),
        /** ICMP type 3 code 1. */
        ICMP_HOST_UNREACHABLE("icmp-host-unreachable", 1),
        /** ICMP type 3 code 0. */
        ICMP_NET_UNREACHABLE("icmp-net-unreachable", 0),
        /** ICMP type 3 code 13. */
        ICMP_ADMIN_PROHIBITED("icmp-admin-prohibited", 13),
        /** A TCP RST (only for TCP packets). */
        TCP_RESET("tcp-reset", -1);

        private final String iptablesName;
        private final int icmpCode;

        RejectWith(String iptablesName, int icmpCode) {
            this.iptablesName = iptablesName;
            this.icmpCode = icmpCode;
        }

        /** The {@code --reject-with} word. */
        public String iptablesName() {
            return iptablesName;
        }

        /** The ICMP destination-unreachable code, -1 for tcp-reset. */
        public int icmpCode() {
            return icmpCode;
        }
    }

    /** ACCEPT. */
    Target ACCEPT = new Accept();
    /** DROP. */
    Target DROP = new Drop();
    /** RETURN. */
    Target RETURN = new Return();
}
