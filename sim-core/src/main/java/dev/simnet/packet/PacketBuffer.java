package dev.simnet.packet;

/**
 * A frame in flight: a byte array with headroom in front, so headers can be pushed without
 * copying, plus the per-packet metadata the datapath needs (the kernel's {@code sk_buff}, reduced).
 * Buffers come from a {@link PacketPool} and go back to it, so the forwarding path allocates nothing.
 *
 * <pre>
 *   0        start                end       data.length
 *   |headroom|  frame bytes        |tailroom |
 * </pre>
 */
public final class PacketBuffer {
    /** Bytes kept in front of a fresh frame for pushed headers. */
    public static final int HEADROOM = 64;

    private final byte[] data;
    private int start;
    private int end;
    private final PacketPool pool;

    /** Index of the interface the packet arrived on in the current namespace (0 when locally made). */
    public int ingressIfindex;
    /** Packet mark ({@code skb->mark}). */
    public int mark;
    /** Offset of the network header inside {@link #data()} (absolute index), or -1. */
    public int networkOffset = -1;
    /** Opaque per-packet slot for the netfilter layer (the conntrack entry and its direction). */
    public Object ct;
    /** Direction of the packet relative to {@link #ct}: 0 original, 1 reply. */
    public int ctDir;
    /** Conntrack status flags seen by netfilter matchers for this packet. */
    public int ctInfo;
    /**
     * Segmentation offload ({@code skb_shinfo(skb)->gso_size}): the segment payload size of a GSO
     * super-frame that a TAP handed in with a {@code virtio_net_hdr}, 0 for an ordinary frame. Such a
     * frame is longer than the MTU and may carry a partial checksum; the bridge forwards it (as
     * {@code is_skb_forwardable} exempts GSO frames from the MTU check), and routing forwards a TCP one
     * whose segments would fit the MTU ({@code skb_gso_validate_network_len}), with NAT adjusting its
     * partial checksum, to a device that can take it (the TAP backend hands the engine only such frames
     * as are not delivered locally). Never set in the simulator's own traffic.
     */
    public int gsoSize;
    /**
     * The rest of that {@code virtio_net_hdr}: flags (bit 0 {@link #OFFLOAD_NEEDS_CSUM}), gso_type,
     * hdr_len, csum_start, csum_offset (packed by the TAP backend, otherwise opaque to the engine); 0 for
     * an ordinary frame.
     */
    public long offload;
    /**
     * Bit of {@link #offload}: {@code VIRTIO_NET_HDR_F_NEEDS_CSUM} ({@code CHECKSUM_PARTIAL}): the TCP/UDP
     * checksum field holds only the folded pseudo-header sum (not complemented); whoever finishes the
     * packet sums the rest.
     */
    public static final long OFFLOAD_NEEDS_CSUM = 1;

    PacketBuffer(PacketPool pool, int capacity) {
        this.pool = pool;
        this.data = new byte[capacity];
        reset();
    }

    /** An unpooled buffer holding a copy of {@code frame} (tests and slow paths). */
    public static PacketBuffer copyOf(byte[] frame, int off, int len) {
        PacketBuffer b = new PacketBuffer(null, HEADROOM + Math.max(len, 1600));
        b.setLength(len);
        System.arraycopy(frame, off, b.data, b.start, len);
        return b;
    }

    /** Clears the frame and metadata; the frame starts after {@link #HEADROOM}. */
    public void reset() {
        start = Math.min(HEADROOM, data.length);
        end = start;
        ingressIfindex = 0;
        mark = 0;
        networkOffset = -1;
        ct = null;
        ctDir = 0;
        ctInfo = 0;
        gsoSize = 0;
        offload = 0;
    }

    /** The whole backing array; the frame is {@code [start(), end())}. */
    public byte[] data() {
        return data;
    }

    /** Index of the first frame byte. */
    public int start() {
        return start;
    }

    /** Index past the last frame byte. */
    public int end() {
        return end;
    }

    /** Frame length in bytes. */
    public int length() {
        return end - start;
    }

    /** Sets the frame length, keeping its start. */
    public void setLength(int len) {
        if (len < 0 || start + len > data.length) {
            throw new IllegalArgumentException("length " + len + " does not fit (capacity " + (data.length - start) + ")");
        }
        end = start + len;
    }

    /** Moves the start back by {@code n} bytes (to prepend a header) and returns the new start. */
    public int push(int n) {
        if (n > start) {
            throw new IllegalStateException("no headroom for " + n + " bytes");
        }
        start -= n;
        return start;
    }

    /** Moves the start forward by {@code n} bytes (to strip a header) and returns the new start. */
    public int pull(int n) {
        if (n > length()) {
            throw new IllegalStateException("cannot pull " + n + " bytes from a " + length() + "-byte frame");
        }
        start += n;
        return start;
    }

    /** Sets start and end directly (both absolute indexes into {@link #data()}). */
    public void setBounds(int newStart, int newEnd) {
        if (newStart < 0 || newEnd < newStart || newEnd > data.length) {
            throw new IllegalArgumentException("bad bounds " + newStart + ".." + newEnd);
        }
        start = newStart;
        end = newEnd;
    }

    /** Capacity of the backing array. */
    public int capacity() {
        return data.length;
    }

    /** Copies the frame out (tests, capture slow paths). */
    public byte[] toByteArray() {
        return java.util.Arrays.copyOfRange(data, start, end);
    }

    /** Copies frame bytes and metadata from {@code other} into this buffer. */
    public void copyFrom(PacketBuffer other) {
        reset();
        int len = other.length();
        if (start + len > data.length) {
            throw new IllegalArgumentException("frame of " + len + " bytes does not fit");
        }
        System.arraycopy(other.data, other.start, data, start, len);
        end = start + len;
        ingressIfindex = other.ingressIfindex;
        mark = other.mark;
        gsoSize = other.gsoSize;
        offload = other.offload;
    }

    /** Returns this buffer to its pool (no-op for unpooled buffers). Do not touch it afterwards. */
    public void release() {
        if (pool != null) {
            pool.release(this);
        }
    }
}
