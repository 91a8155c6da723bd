package dev.simnet.device;

import dev.simnet.packet.PacketBuffer;

/**
 * An egress queueing discipline ({@code tc qdisc}): receives frames from
 * {@link AbstractDevice#transmit} and later hands them to {@link AbstractDevice#hardXmit}.
 */
public interface Qdisc {
    /** Queues (or drops, delays, duplicates) one frame; owns it afterwards. */
    void enqueue(PacketBuffer frame, long now);

    /** Frames currently held. */
    int backlog();
}
