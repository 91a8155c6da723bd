package dev.simnet.device;

import dev.simnet.capture.FrameTap;
import dev.simnet.packet.PacketBuffer;

/**
 * A network interface as the kernel's {@code net_device} presents it to the stack: just above
 * {@code dev_queue_xmit()} (as ns-3's NetDevice and smoltcp's Device are). Frames are whole
 * Ethernet frames in {@link PacketBuffer}s; transmit takes ownership. Received frames go to the
 * {@link FrameReceiver} installed by the namespace or, for a bridge port, by the bridge.
 */
public interface NetDevice {
    /** Interface name ({@code eth0}, {@code br-…}, {@code veth…}, {@code lo}). */
    String name();

    /** Index within its namespace (1 is {@code lo}). */
    int ifindex();

    /** The 48-bit MAC as a long. */
    long mac();

    /** MTU in bytes (IP datagram size). */
    int mtu();

    /** Administrative state ({@code ip link set up}). */
    boolean isUp();

    /** Carrier ({@code LOWER_UP}): a veth has carrier only while both ends are up. */
    boolean hasCarrier();

    /** Counters as {@code ip -s link} shows them. */
    DeviceCounters counters();

    /** Hands a frame to the device for transmission; the device owns the buffer afterwards. */
    void transmit(PacketBuffer frame, long now);

    /** Installs the handler of received frames (the namespace's stack or a bridge's rx handler). */
    void setReceiver(FrameReceiver receiver);

    /** Adds a capture tap called for every frame sent or received on this device. */
    void addTap(FrameTap tap);
}
