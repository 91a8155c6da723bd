package dev.simnet.ip;

/** Why the IP layer of a namespace dropped a packet (per-namespace counters, {@code nstat}-like). */
public enum DropReason {
    /** Frame too short, bad version/IHL/length or header checksum (InHdrErrors). */
    IP_HEADER_ERROR,
    /** Unicast frame for another MAC (PACKET_OTHERHOST). */
    OTHERHOST,
    /** Martian source or loopback address seen on a non-loopback interface. */
    MARTIAN,
    /** Not for us and ip_forward is off (InAddrErrors). */
    NOT_FORWARDING,
    /** No route (ICMP net unreachable sent where allowed). */
    NO_ROUTE,
    /** TTL expired in transit (ICMP time exceeded sent). */
    TTL_EXCEEDED,
    /** DF set and larger than the MTU (ICMP fragmentation needed sent). */
    FRAG_NEEDED,
    /** A netfilter hook returned DROP. */
    NETFILTER,
    /** Neighbour resolution failed (ICMP host unreachable sent). */
    NEIGH_FAILED,
    /** Unsupported EtherType or 802.1Q tag. */
    UNKNOWN_ETHERTYPE,
    /** Malformed or unsupported ARP. */
    ARP_INVALID,
    /** ICMP too short or bad checksum. */
    ICMP_ERROR,
    /** No socket layer installed for this protocol (ICMP port/protocol unreachable sent where Linux does). */
    NO_TRANSPORT,
    /** Reassembly failed (timeout, overlap, too big). */
    REASSEMBLY,
    /** Broadcast/multicast not accepted (e.g. echo to broadcast, icmp_echo_ignore_broadcasts). */
    BROADCAST_IGNORED
}
