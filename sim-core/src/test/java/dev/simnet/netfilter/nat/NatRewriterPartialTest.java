package dev.simnet.netfilter.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.wire.Bytes;
import dev.simnet.wire.Checksum;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NAT of a packet whose TCP/UDP checksum is partial ({@code CHECKSUM_PARTIAL}, a TAP's offloaded
 * frame): after the rewrite, finishing the checksum as the segmenter does (sum of the L4 bytes from the
 * field's seed) gives exactly the checksum of the rewritten packet, for source and destination NAT.
 */
class NatRewriterPartialTest {
    private static final int IP = 10;

    /** An IPv4 packet at offset {@link #IP} with a 20-byte header, an L4 header and {@code payload} bytes. */
    private static byte[] packet(int proto, int src, int dst, int sport, int dport, int payload, SplittableRandom rnd) {
        int l4len = (proto == 6 ? 20 : 8) + payload;
        byte[] b = new byte[IP + 20 + l4len];
        b[IP] = 0x45;
        Bytes.put16(b, IP + 2, 20 + l4len);
        Bytes.put16(b, IP + 4, rnd.nextInt(65536));
        Bytes.put16(b, IP + 6, 0x4000);
        b[IP + 8] = 64;
        b[IP + 9] = (byte) proto;
        Bytes.put32(b, IP + 12, src);
        Bytes.put32(b, IP + 16, dst);
        Bytes.put16(b, IP + 10, Checksum.compute(b, IP, 20));
        int l4 = IP + 20;
        Bytes.put16(b, l4, sport);
        Bytes.put16(b, l4 + 2, dport);
        if (proto == 6) {
            Bytes.put32(b, l4 + 4, rnd.nextInt());
            Bytes.put32(b, l4 + 8, rnd.nextInt());
            b[l4 + 12] = 0x50;
            b[l4 + 13] = 0x18;
            Bytes.put16(b, l4 + 14, rnd.nextInt(65536));
        } else {
            Bytes.put16(b, l4 + 4, l4len);
        }
        for (int i = l4 + (proto == 6 ? 20 : 8); i < b.length; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        // the partial checksum: the folded pseudo-header sum, as the sending kernel leaves it
        Bytes.put16(b, csumOff(proto), Checksum.pseudoHeaderSum(src, dst, proto, l4len));
        return b;
    }

    private static int csumOff(int proto) {
        return IP + 20 + (proto == 6 ? 16 : 6);
    }

    /** What software completion does: the L4 sum starting from the seed in the field, complemented. */
    private static void finish(byte[] b, int proto) {
        int l4 = IP + 20;
        int c = ~Checksum.sum(b, l4, b.length - l4) & 0xffff;
        if (proto == 17 && c == 0) {
            c = 0xffff;
        }
        Bytes.put16(b, csumOff(proto), c);
    }

    private static boolean l4Verifies(byte[] b, int proto) {
        int l4 = IP + 20;
        int pseudo = Checksum.pseudoHeaderSum(Bytes.i32(b, IP + 12), Bytes.i32(b, IP + 16), proto, b.length - l4);
        return Checksum.sum(b, l4, b.length - l4, pseudo) == 0xffff;
    }

    @Test
    void aPartialChecksumFollowsTheAddressButNotThePort() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] edge = {0, -1, 0x0000ffff, 0xffff0000, 0xcb007101};
        for (int i = 0; i < 2000; i++) {
            int proto = i % 2 == 0 ? 6 : 17;
            int src = i < edge.length ? edge[i] : rnd.nextInt();
            int dst = rnd.nextInt();
            int newAddr = i < edge.length ? edge[edge.length - 1 - i] : rnd.nextInt();
            int newPort = rnd.nextInt(65536);
            int manip = rnd.nextBoolean() ? NatRewriter.SRC : NatRewriter.DST;
            byte[] b = packet(proto, src, dst, rnd.nextInt(65536), rnd.nextInt(65536), rnd.nextInt(200), rnd);
            NatRewriter.manip(b, IP, b.length, manip, newAddr, newPort, true);
            assertEquals(newAddr, Bytes.i32(b, IP + (manip == NatRewriter.SRC ? 12 : 16)));
            assertEquals(newPort, Bytes.u16(b, IP + 20 + (manip == NatRewriter.SRC ? 0 : 2)));
            assertTrue(Checksum.verify(b, IP, 20), "IP header checksum after NAT");
            finish(b, proto);
            assertTrue(l4Verifies(b, proto), "finished L4 checksum does not verify, case " + i);
        }
    }

    @Test
    void anUnchangedPartialChecksumWouldBeWrongAfterNat() {
        // the test above can fail: leaving the seed alone (or updating it as a full checksum) breaks it
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] b = packet(6, 0xac120002, 0xcb0071fe, 40000, 5201, 100, rnd);
        byte[] c = b.clone();
        NatRewriter.manip(c, IP, c.length, NatRewriter.SRC, 0xcb007101, 40000, false);
        finish(c, 6);
        assertTrue(!l4Verifies(c, 6), "a full-checksum update of a partial seed verified by accident");
    }
}
