package dev.simnet.packet;

/**
 * Free lists of {@link PacketBuffer}s in two sizes: full buffers for frames of up to the pool's
 * maximum ({@link #acquire()}), and small ones for frames of up to {@link #SMALL_FRAME} bytes
 * ({@link #acquire(int)}), which is what most frames are (ARP, UDP datagrams, TCP segments of one
 * MSS, and the copies a bridge floods to every port). Without the small class a broadcast flooded
 * on a 200-port bridge would hold 199 × 64 KiB. Single-threaded, as the engine is: the simulation
 * loop owns its pool. Counts live buffers so a test can prove nothing leaks.
 */
public final class PacketPool {
    /** The largest frame a small buffer holds (after the {@link PacketBuffer#HEADROOM}). */
    public static final int SMALL_FRAME = 2048;

    private final int capacity;
    private final int smallCapacity;
    private PacketBuffer[] free = new PacketBuffer[256];
    private int freeCount;
    private PacketBuffer[] freeSmall = new PacketBuffer[256];
    private int freeSmallCount;
    private long allocated;
    private long outstanding;

    /** A pool of buffers large enough for {@code maxFrame} bytes plus headroom. */
    public PacketPool(int maxFrame) {
        this.capacity = PacketBuffer.HEADROOM + maxFrame;
        this.smallCapacity = Math.min(capacity, PacketBuffer.HEADROOM + SMALL_FRAME);
    }

    /** A pool for frames of up to 65535 + 14 + 4 bytes (an IPv4 datagram in an 802.1Q frame). */
    public PacketPool() {
        this(65535 + 18);
    }

    /** A clean buffer, from the free list when possible. */
    public PacketBuffer acquire() {
        outstanding++;
        if (freeCount > 0) {
            PacketBuffer b = free[--freeCount];
            free[freeCount] = null;
            b.reset();
            return b;
        }
        allocated++;
        return new PacketBuffer(this, capacity);
    }

    /**
     * A clean buffer for a frame the caller knows will never exceed {@code frameLen} bytes: a small
     * buffer when that fits in {@link #SMALL_FRAME}, else a full one.
     */
    public PacketBuffer acquire(int frameLen) {
        if (frameLen > SMALL_FRAME || smallCapacity == capacity) {
            return acquire();
        }
        outstanding++;
        if (freeSmallCount > 0) {
            PacketBuffer b = freeSmall[--freeSmallCount];
            freeSmall[freeSmallCount] = null;
            b.reset();
            return b;
        }
        allocated++;
        return new PacketBuffer(this, smallCapacity);
    }

    void release(PacketBuffer b) {
        outstanding--;
        if (b.capacity() != capacity) {
            if (freeSmallCount == freeSmall.length) {
                freeSmall = java.util.Arrays.copyOf(freeSmall, freeSmall.length * 2);
            }
            freeSmall[freeSmallCount++] = b;
            return;
        }
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = b;
    }

    /** Buffers ever created by this pool. */
    public long allocatedCount() {
        return allocated;
    }

    /** Buffers acquired and not yet released. */
    public long outstanding() {
        return outstanding;
    }
}
