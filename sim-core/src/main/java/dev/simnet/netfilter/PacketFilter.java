package dev.simnet.netfilter;

import dev.simnet.packet.PacketBuffer;

/**
 * What a namespace's IP layer calls at each hook: the seam between the datapath and netfilter.
 * The packet's {@link PacketBuffer#networkOffset} points at its IPv4 header; the filter may rewrite
 * the packet in place (NAT) and the caller re-reads addresses afterwards (re-routing after DNAT).
 */
public interface PacketFilter {
    /** Let the packet continue. */
    int ACCEPT = 1;
    /** Drop the packet; the caller releases it and counts the drop. */
    int DROP = 0;
    /** The filter took the packet (queued or consumed it); the caller must not touch it again. */
    int STOLEN = 2;

    /** A filter that accepts everything and tracks nothing (a namespace without rules). */
    PacketFilter ACCEPT_ALL = (hook, p, inIfindex, outIfindex, now) -> ACCEPT;

    /**
     * Runs the hook's chains for one packet.
     *
     * @param inIfindex  ifindex the packet came in on (0 for locally generated packets)
     * @param outIfindex ifindex it will leave by (0 where not yet known: PREROUTING, INPUT)
     * @return {@link #ACCEPT}, {@link #DROP} or {@link #STOLEN}
     */
    int process(Hook hook, PacketBuffer p, int inIfindex, int outIfindex, long now);
}
