package dev.simnet.host;

import dev.simnet.packet.PacketBuffer;

/**
 * What the namespace's IP layer calls for a datagram addressed to it (after INPUT): the host
 * stack's entry point. Receiving a buffer transfers ownership; the receiver releases it.
 */
public interface TransportReceiver {
    /**
     * A reassembled datagram for a local address.
     *
     * @param p          the packet; {@code p.networkOffset} is the IPv4 header, {@code l4Offset} the transport header
     * @param l4Offset   absolute index of the transport header in {@code p.data()}
     * @param l4Length   bytes of transport header plus payload
     */
    void receive(PacketBuffer p, int l4Offset, int l4Length, int src, int dst, int protocol, int ttl, long now);

    /**
     * An ICMP error (destination unreachable, time exceeded, fragmentation needed) that quotes a
     * datagram this host sent; lets UDP and TCP sockets report ECONNREFUSED, EHOSTUNREACH and
     * path MTU. The buffer is only borrowed for the call.
     *
     * @param quotedOffset absolute index of the quoted IPv4 header inside {@code p.data()}
     */
    void icmpError(PacketBuffer p, int icmpType, int icmpCode, int quotedOffset, int quotedLength, long now);
}
