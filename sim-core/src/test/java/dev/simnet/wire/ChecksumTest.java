package dev.simnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    /** RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement). */
    @Test
    void rfc1071ExampleSumsToDdf2() {
        byte[] b = Hex.parse("0001 f203 f4f5 f6f7");
        assertEquals(0xddf2, Checksum.sum(b, 0, b.length));
        assertEquals(0x220d, Checksum.compute(b, 0, b.length));
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        byte[] odd = Hex.parse("0001 f203 f4f5 f6f7 ab");
        byte[] padded = Hex.parse("0001 f203 f4f5 f6f7 ab00");
        assertEquals(Checksum.sum(padded, 0, padded.length), Checksum.sum(odd, 0, odd.length));
    }

    @Test
    void sumAtAnyOffsetAndLengthEqualsAWordByWordReference() {
        SplittableRandom rnd = new SplittableRandom(1071);
        byte[] b = new byte[1600];
        for (int round = 0; round < 300; round++) {
            rnd.nextBytes(b);
            int off = rnd.nextInt(40);
            int len = rnd.nextInt(b.length - off);
            assertEquals(referenceSum(b, off, len), Checksum.sum(b, off, len), "off " + off + " len " + len);
        }
    }

    @Test
    void carriesAreFoldedForAllOnesInput() {
        byte[] b = new byte[4096];
        java.util.Arrays.fill(b, (byte) 0xff);
        assertEquals(0xffff, Checksum.sum(b, 0, b.length));
        assertEquals(0, Checksum.compute(b, 0, b.length));
    }

    @Test
    void realIpv4HeaderVerifiesAndRecomputes() {
        byte[] f = Fixtures.ICMP_ECHO_REQUEST;
        assertTrue(Checksum.verify(f, 14, 20));
        int stored = ((f[24] & 0xff) << 8) | (f[25] & 0xff);
        byte[] copy = f.clone();
        copy[24] = 0;
        copy[25] = 0;
        assertEquals(stored, Checksum.compute(copy, 14, 20));
        copy[24] = (byte) (stored >>> 8);
        copy[25] = (byte) (stored + 1);
        assertFalse(Checksum.verify(copy, 14, 20));
    }

    @Test
    void pseudoHeaderSumMatchesTheSumOfItsBytes() {
        byte[] ph = Hex.parse("ac12 0002 0a63 0002 0011 000e");
        assertEquals(Checksum.sum(ph, 0, ph.length), Checksum.pseudoHeaderSum(0xac120002, 0x0a630002, 17, 14));
    }

    @Test
    void combineAddsPartialSums() {
        byte[] b = Hex.parse("0001 f203 f4f5 f6f7");
        assertEquals(Checksum.sum(b, 0, 8), Checksum.combine(Checksum.sum(b, 0, 4), Checksum.sum(b, 4, 4)));
    }

    @Test
    void incrementalUpdatesEqualFullRecomputationOnRandomData() {
        SplittableRandom rnd = new SplittableRandom(1624);
        for (int round = 0; round < 2000; round++) {
            int len = 20 + 2 * rnd.nextInt(40);
            byte[] b = new byte[len];
            rnd.nextBytes(b);
            b[0] |= 1; // never all zero (the one case where 0x0000 and 0xffff differ)
            int csumAt = 2 * rnd.nextInt(len / 2);
            b[csumAt] = 0;
            b[csumAt + 1] = 0;
            int c = Checksum.compute(b, 0, len);
            Bytes.put16(b, csumAt, c);
            if (rnd.nextBoolean()) {
                int at = otherWord(rnd, len, csumAt, 2);
                int old = Bytes.u16(b, at);
                int nw = rnd.nextInt(0x10000);
                Bytes.put16(b, at, nw);
                Checksum.update16(b, csumAt, old, nw);
            } else {
                int at = otherWord(rnd, len, csumAt, 4);
                int old = Bytes.i32(b, at);
                int nw = rnd.nextInt();
                Bytes.put32(b, at, nw);
                Checksum.update32(b, csumAt, old, nw);
            }
            int incremental = Bytes.u16(b, csumAt);
            b[csumAt] = 0;
            b[csumAt + 1] = 0;
            assertEquals(Checksum.compute(b, 0, len), incremental, "round " + round);
        }
    }

    @Test
    void update16OnRfc1624Example() {
        // RFC 1624 section 4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000
        assertEquals(0x0000, Checksum.update16(0xdd2f, 0x5555, 0x3285));
    }

    private static int otherWord(SplittableRandom rnd, int len, int csumAt, int size) {
        while (true) {
            int at = 2 * rnd.nextInt((len - size) / 2 + 1);
            if (at + size <= csumAt || at >= csumAt + 2) {
                return at;
            }
        }
    }

    private static int referenceSum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (len % 2 == 1) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
