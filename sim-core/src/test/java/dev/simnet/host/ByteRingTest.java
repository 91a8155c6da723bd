package dev.simnet.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The socket byte ring: contents survive on-demand growth, wrapped or parked past the tail. */
class ByteRingTest {
    private static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void idleRingHoldsNoMemoryAndGrowsOnlyAsFarAsNeeded() {
        ByteRing r = new ByteRing(212_992);
        assertEquals(0, r.allocated());
        assertEquals(212_992, r.free());
        r.write(seq(0, 100), 0, 100);
        assertEquals(ByteRing.MIN_ALLOC, r.allocated());
        byte[] out = new byte[100];
        assertEquals(100, r.read(out, 0, 100));
        assertArrayEquals(seq(0, 100), out);
        assertEquals(0, r.read(ByteBuffer.allocate(10)));
    }

    @Test
    void growthKeepsWrappedContentsInOrder() {
        ByteRing r = new ByteRing(4096);
        r.write(seq(0, 400), 0, 400);
        byte[] sink = new byte[300];
        r.read(sink, 0, 300);             // head at 300 of 512
        r.write(seq(400, 300), 0, 300);   // wraps around the 512-byte array: 400 bytes queued
        assertEquals(512, r.allocated());
        r.write(seq(700, 600), 0, 600);   // grows while wrapped
        assertEquals(1000, r.size());
        byte[] out = new byte[1000];
        r.peek(0, out, 0, 1000);
        byte[] expect = new byte[1000];
        for (int i = 0; i < 1000; i++) {
            expect[i] = (byte) (300 + i);
        }
        assertArrayEquals(expect, out);
    }

    @Test
    void bytesParkedPastTheTailSurviveGrowthAndCommit() {
        ByteRing r = new ByteRing(8192);
        r.write(seq(0, 10), 0, 10);
        r.writeAt(2000, seq(50, 5), 0, 5);  // out of order: parked 2000 bytes past the tail
        r.writeAt(0, seq(10, 2000), 0, 2000); // the hole is filled
        r.commit(2005);
        byte[] out = new byte[2015];
        r.peek(0, out, 0, 2015);
        for (int i = 0; i < 2010; i++) {
            assertEquals((byte) i, out[i], "byte " + i);
        }
        assertArrayEquals(seq(50, 5), java.util.Arrays.copyOfRange(out, 2010, 2015));
    }

    @Test
    void neverGrowsBeyondItsCapacity() {
        ByteRing r = new ByteRing(1000);
        assertEquals(1000, r.write(seq(0, 1500), 0, 1500));
        assertEquals(1000, r.allocated());
        assertEquals(0, r.free());
        assertThrows(IllegalArgumentException.class, () -> r.writeAt(0, seq(0, 1), 0, 1));
    }
}
