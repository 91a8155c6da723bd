package dev.simnet.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pool's two size classes: small frames get small buffers, each class is recycled into its own list. */
class PacketPoolTest {
    @Test
    void smallFramesGetSmallBuffersAndLargeOnesFullBuffers() {
        PacketPool pool = new PacketPool();
        PacketBuffer small = pool.acquire(98);
        PacketBuffer large = pool.acquire(PacketPool.SMALL_FRAME + 1);
        PacketBuffer full = pool.acquire();
        assertEquals(PacketBuffer.HEADROOM + PacketPool.SMALL_FRAME, small.capacity());
        assertEquals(PacketBuffer.HEADROOM + 65535 + 18, large.capacity());
        assertEquals(full.capacity(), large.capacity());
        assertEquals(3, pool.outstanding());
        small.setLength(PacketPool.SMALL_FRAME);
        assertThrows(IllegalArgumentException.class, () -> small.setLength(PacketPool.SMALL_FRAME + 1));
        small.release();
        large.release();
        full.release();
        assertEquals(0, pool.outstanding());
        assertEquals(3, pool.allocatedCount());
    }

    @Test
    void eachClassIsRecycledIntoItsOwnFreeList() {
        PacketPool pool = new PacketPool();
        PacketBuffer small = pool.acquire(60);
        PacketBuffer full = pool.acquire();
        small.release();
        full.release();
        assertSame(full, pool.acquire(), "a full-size request never gets the small buffer");
        PacketBuffer again = pool.acquire(1500);
        assertSame(small, again);
        assertEquals(0, again.length(), "a recycled buffer comes back clean");
        assertEquals(PacketBuffer.HEADROOM, again.start());
        assertEquals(2, pool.allocatedCount());
    }

    @Test
    void aPoolForSmallFramesOnlyHasOneClass() {
        PacketPool pool = new PacketPool(1518);
        PacketBuffer a = pool.acquire(100);
        PacketBuffer b = pool.acquire();
        assertEquals(a.capacity(), b.capacity());
        assertTrue(a.capacity() >= PacketBuffer.HEADROOM + 1518);
        a.release();
        b.release();
        assertEquals(0, pool.outstanding());
    }
}
