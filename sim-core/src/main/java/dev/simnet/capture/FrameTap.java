package dev.simnet.capture;

/**
 * Receives a copy of every frame that passes a tapped interface, as {@code tcpdump -i} would see it.
 * Implementations (pcap writers, tracers) must not keep {@code data}: it is reused after the call.
 */
public interface FrameTap {
    /** Direction of a frame relative to the tapped interface. */
    enum Direction { IN, OUT }

    /**
     * One frame.
     *
     * @param timeNanos virtual time of the frame
     * @param namespace the name of the namespace that owns the interface
     * @param ifname    the interface name ({@code eth0}, {@code br-1a2b3c4d5e6f}, …)
     * @param ifindex   the interface index in its namespace
     * @param dir       received or sent
     * @param data      backing array
     * @param off       first byte of the Ethernet frame
     * @param len       frame length
     */
    void frame(long timeNanos, String namespace, String ifname, int ifindex, Direction dir, byte[] data, int off, int len);
}
