package dev.simnet.packet;

/**
 * A free list of {@link PacketBuffer}s of one capacity. Single-threaded, as the engine is: the
 * simulation loop owns its pool. Counts live buffers so a test can prove nothing leaks.
 */
public final class PacketPool {
    private final int capacity;
    private PacketBuffer[] free = new PacketBuffer[256];
    private int freeCount;
    private long allocated;
    private long outstanding;

    /** A pool of buffers large enough for {@code maxFrame} bytes plus headroom. */
    public PacketPool(int maxFrame) {
        this.capacity = PacketBuffer.HEADROOM + maxFrame;
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

    void release(PacketBuffer b) {
        outstanding--;
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
