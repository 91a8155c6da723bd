package dev.simnet.wire;

/** IP protocol numbers (IANA) that simnet names; plain ints. */
public final class IpProtocol {
    /** ICMP, 1. */
    public static final int ICMP = 1;
    /** TCP, 6. */
    public static final int TCP = 6;
    /** UDP, 17. */
    public static final int UDP = 17;

    private IpProtocol() {
    }

    /** The lower-case name tcpdump and iptables use ("icmp", "tcp", "udp"), or the number as text. */
    public static String name(int protocol) {
        switch (protocol) {
            case ICMP: return "icmp";
            case TCP: return "tcp";
            case UDP: return "udp";
            default: return Integer.toString(protocol);
        }
    }
}
