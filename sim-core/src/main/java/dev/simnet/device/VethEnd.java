package dev.simnet.device;

import dev.simnet.packet.PacketBuffer;

/**
 * One end of a virtual Ethernet pair ({@code drivers/net/veth.c}): a frame transmitted on one end is
 * received by the peer (through the peer's backlog), after whatever delay the sending end's qdisc
 * (netem) adds. A frame is dropped and counted as {@code tx_dropped} when the peer is down. Crossing
 * the pair scrubs the packet as {@code skb_scrub_packet} does: conntrack state is cleared, and the
 * mark too when the ends live in different namespaces.
 */
public final class VethEnd extends AbstractDevice {
    private VethEnd peer;

    /** One end; pair two ends with {@link #pair}. */
    public VethEnd(String name, long mac, int mtu) {
        super(name, Kind.VETH, mac, mtu);
    }

    /** Joins two ends. */
    public static void pair(VethEnd a, VethEnd b) {
        a.peer = b;
        b.peer = a;
    }

    /** The other end. */
    public VethEnd peer() {
        return peer;
    }

    @Override
    public boolean hasCarrier() {
        return isUp() && peer != null && peer.isUp();
    }

    @Override
    protected void xmit(PacketBuffer frame, long now) {
        VethEnd p = peer;
        if (p == null || !p.isUp()) {
            counters().txPackets--;
            counters().txBytes -= frame.length();
            counters().txDropped++;
            frame.release();
            return;
        }
        if (frame.length() > p.mtu() + Frames.ETH_HLEN + 4) {
            // is_skb_forwardable(): longer than the peer's MTU plus Ethernet and VLAN headers.
            counters().txPackets--;
            counters().txBytes -= frame.length();
            counters().txDropped++;
            p.counters().rxDropped++;
            frame.release();
            return;
        }
        frame.ct = null;
        frame.ctDir = 0;
        frame.ctInfo = 0;
        if (p.owner() != owner()) {
            frame.mark = 0;
        }
        p.netifRx(frame, now);
    }
}
