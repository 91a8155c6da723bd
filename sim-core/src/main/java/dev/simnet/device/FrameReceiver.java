package dev.simnet.device;

import dev.simnet.packet.PacketBuffer;

/** Where a device hands received frames: the namespace ({@code netif_receive_skb}) or a bridge. */
@FunctionalInterface
public interface FrameReceiver {
    /** One received Ethernet frame; the receiver owns the buffer. */
    void receive(NetDevice dev, PacketBuffer frame, long now);
}
