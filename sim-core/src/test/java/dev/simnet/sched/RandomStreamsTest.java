package dev.simnet.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

    private static long[] draw(SplittableRandom r, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextLong();
        }
        return out;
    }

    @Test
    void sameSeedAndNameGiveTheSameSequence() {
        long[] a = draw(new RandomStreams(42).stream("neigh/ns1/eth0"), 1000);
        long[] b = draw(new RandomStreams(42).stream("neigh/ns1/eth0"), 1000);
        assertArrayEquals(a, b);
        assertEquals(new RandomStreams(42).seedFor("x"), new RandomStreams(42).seedFor("x"));
    }

    @Test
    void differentNamesOrSeedsGiveDifferentSequences() {
        RandomStreams rs = new RandomStreams(42);
        long[] a = draw(rs.stream("neigh/ns1/eth0"), 64);
        long[] b = draw(rs.stream("neigh/ns2/eth0"), 64);
        long[] c = draw(new RandomStreams(43).stream("neigh/ns1/eth0"), 64);
        Set<Long> seen = new HashSet<>();
        for (long v : a) {
            seen.add(v);
        }
        for (long v : b) {
            assertFalse(seen.contains(v), "streams of different names share a value");
        }
        for (long v : c) {
            assertFalse(seen.contains(v), "streams of different seeds share a value");
        }
    }

    @Test
    void namesThatDifferInOneCharacterAreUncorrelated() {
        RandomStreams rs = new RandomStreams(7);
        // seeds of near-identical names differ in about half their bits
        int total = 0;
        for (int i = 0; i < 100; i++) {
            total += Long.bitCount(rs.seedFor("host" + i) ^ rs.seedFor("host" + (i + 1)));
        }
        double mean = total / 100.0;
        assertEquals(32, mean, 4, "mean Hamming distance between neighbouring seeds");
        // and the first draws of 1000 sibling streams look uniform on 0..9
        int[] buckets = new int[10];
        for (int i = 0; i < 1000; i++) {
            buckets[rs.stream("veth" + i).nextInt(10)]++;
        }
        for (int b : buckets) {
            assertNotEquals(0, b);
            assertEquals(100, b, 45);
        }
    }

    @Test
    void addingAStreamDoesNotChangeOthers() {
        RandomStreams rs1 = new RandomStreams(99);
        SplittableRandom a1 = rs1.stream("a");
        long[] first = draw(a1, 10);
        long[] rest1 = draw(a1, 10);

        RandomStreams rs2 = new RandomStreams(99);
        SplittableRandom b = rs2.stream("b");
        SplittableRandom a2 = rs2.stream("a");
        SplittableRandom c = rs2.stream("c");
        draw(b, 5);
        long[] first2 = draw(a2, 10);
        draw(c, 100);
        draw(rs2.stream("new-node"), 100);
        long[] rest2 = draw(a2, 10);
        assertArrayEquals(first, first2);
        assertArrayEquals(rest1, rest2);
    }

    @Test
    void streamsAreFreshEachCall() {
        RandomStreams rs = new RandomStreams(5);
        SplittableRandom x = rs.stream("s");
        draw(x, 3);
        assertArrayEquals(draw(rs.stream("s"), 4), draw(new RandomStreams(5).stream("s"), 4));
        assertEquals(5, rs.masterSeed());
    }
}
