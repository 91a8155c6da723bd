package dev.simnet.tap;

import dev.simnet.tap.ffi.Tun;

/**
 * A TAP device ({@code IFF_TAP | IFF_NO_PI}) as seen from its file descriptor: frames the kernel
 * transmits on the interface are read here, frames written here are received by the interface.
 * {@link #create} must run on a thread inside the target network namespace (a
 * {@code NetnsExecutor}), so the interface is born there and never exists in the root namespace.
 * The device disappears when the fd is closed (it is not persistent).
 */
public final class TapDevice implements AutoCloseable {
    private final String name;
    private final int fd;
    private final int ifindex;
    private final boolean vnetHdr;
    private volatile boolean closed;

    private TapDevice(String name, int fd, int ifindex, boolean vnetHdr) {
        this.name = name;
        this.fd = fd;
        this.ifindex = ifindex;
        this.vnetHdr = vnetHdr;
    }

    /**
     * Creates TAP {@code name} in the calling thread's network namespace with MAC {@code mac} (null:
     * the kernel's random one); non-blocking fd.
     */
    public static TapDevice create(String name, byte[] mac) {
        return create(name, mac, false);
    }

    /**
     * As {@link #create(String, byte[])}; with {@code offloads}, every frame on the fd is preceded by a
     * 10-byte {@code virtio_net_hdr} ({@code IFF_VNET_HDR}) and the kernel may hand over TCP/IPv4
     * super-frames up to 64 KiB with a partial checksum ({@code TUN_F_CSUM | TUN_F_TSO4}), as to a
     * virtio NIC.
     */
    public static TapDevice create(String name, byte[] mac, boolean offloads) {
        int fd = Tun.openTap(name, offloads);
        try {
            if (offloads) {
                Tun.setOffload(fd, name, Tun.TUN_F_CSUM | Tun.TUN_F_TSO4);
            }
            if (mac != null) {
                Tun.setMac(fd, name, mac);
            }
            return new TapDevice(name, fd, Tun.ifindex(name), offloads);
        } catch (RuntimeException e) {
            Tun.lib().close(fd);
            throw e;
        }
    }

    /** The interface name inside its namespace. */
    public String name() {
        return name;
    }

    /** The file descriptor. */
    public int fd() {
        return fd;
    }

    /** True when frames on the fd carry a {@code virtio_net_hdr} (offloads on). */
    public boolean vnetHdr() {
        return vnetHdr;
    }

    /** The interface index inside its namespace. */
    public int ifindex() {
        return ifindex;
    }

    /** True once closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the fd; the kernel removes the interface. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Tun.lib().close(fd);
        }
    }
}
