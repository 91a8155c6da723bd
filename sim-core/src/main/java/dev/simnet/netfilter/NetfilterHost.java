package dev.simnet.netfilter;

import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;

/** What netfilter needs to know about, and ask of, the namespace it runs in. */
public interface NetfilterHost {
    /** The name of interface {@code ifindex}, or null if there is none. */
    String ifname(int ifindex);

    /** True when {@code address} is assigned to any interface of the namespace (addrtype LOCAL). */
    boolean isLocalAddress(int address);

    /** The source address MASQUERADE uses for a packet to {@code dst} leaving by {@code outIfindex}, or 0. */
    int masqueradeSource(int outIfindex, int dst);

    /** Sends a locally generated IPv4 packet (a REJECT's ICMP error or TCP RST) through the OUTPUT path. */
    void sendLocal(PacketBuffer ipv4Packet, long now);

    /** The pool to take buffers from for generated packets. */
    PacketPool pool();
}
