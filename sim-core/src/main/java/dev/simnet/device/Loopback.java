package dev.simnet.device;

import dev.simnet.packet.PacketBuffer;

/**
 * The loopback device {@code lo} ({@code drivers/net/loopback.c}): every transmitted frame is
 * received again by the same device through the backlog. MTU 65536, MAC all zero.
 */
public final class Loopback extends AbstractDevice {
    /** Linux's loopback MTU. */
    public static final int MTU = 65536;

    /** A loopback named {@code lo}. */
    public Loopback() {
        super("lo", Kind.LOOPBACK, 0L, MTU);
    }

    @Override
    public void setMtu(int mtu) {
        if (mtu < 68) {
            throw new IllegalArgumentException("MTU " + mtu + " below 68");
        }
        super.setMtu(Math.min(mtu, 65535));
    }

    @Override
    protected void xmit(PacketBuffer frame, long now) {
        netifRx(frame, now);
    }
}
