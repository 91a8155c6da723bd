package dev.simnet.host;

import dev.simnet.packet.PacketBuffer;

/**
 * What the host stack needs from its namespace's IP layer: route and send a transport segment.
 * Implemented by the namespace; the host stack never sees interfaces or ARP.
 */
public interface IpOutput {
    /**
     * Sends one IPv4 datagram. The buffer's frame {@code [start, end)} holds the transport header and
     * payload, with its checksum already computed over the pseudo-header for {@code src}; the IP
     * layer pushes the IPv4 header (and, later, Ethernet) into the headroom, runs OUTPUT and
     * POSTROUTING, fragments if allowed, and owns the buffer afterwards.
     *
     * @return 0 on success, or a positive errno-like code ({@link #ENETUNREACH}, {@link #EHOSTUNREACH},
     *     {@link #EMSGSIZE}, {@link #EPERM} when netfilter dropped it)
     */
    int sendIpv4(PacketBuffer segment, int src, int dst, int protocol, int ttl, int tos, boolean dontFragment, long now);

    /** The source address the routing table would pick to reach {@code dst}, or 0 when unroutable. */
    int sourceAddressFor(int dst);

    /** The MTU of the route to {@code dst} (for the TCP MSS), or 0 when unroutable. */
    int mtuFor(int dst);

    /** Network is unreachable. */
    int ENETUNREACH = 101;
    /** No route to host (ARP failed). */
    int EHOSTUNREACH = 113;
    /** Message too long for a DF datagram. */
    int EMSGSIZE = 90;
    /** Operation not permitted (a netfilter DROP on OUTPUT). */
    int EPERM = 1;
}
