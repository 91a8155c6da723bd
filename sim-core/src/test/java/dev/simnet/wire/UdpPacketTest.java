package dev.simnet.wire;

import static dev.simnet.wire.WireAssertions.a5;
import static dev.simnet.wire.WireAssertions.assertEveryTruncationRejected;
import static dev.simnet.wire.WireAssertions.assertMalformed;
import static dev.simnet.wire.WireAssertions.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UdpPacketTest {
    /** {@code echo hello | nc -u -p 40000 10.99.0.2 9999} from 172.18.0.2. */
    private static final byte[] DATAGRAM = slice(Fixtures.UDP_HELLO, 34, 14);
    private static final int A = Ipv4Address.parse("172.18.0.2").bits();
    private static final int B = Ipv4Address.parse("10.99.0.2").bits();
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);
    private static final UdpRepr REPR = new UdpRepr(40000, 9999, HELLO);

    @Test
    void deconstruct() {
        UdpPacket p = UdpPacket.wrapChecked(DATAGRAM, 0, DATAGRAM.length);
        assertEquals(40000, p.srcPort());
        assertEquals(9999, p.dstPort());
        assertEquals(14, p.length16());
        assertEquals(0x422d, p.checksum());
        assertEquals(8, p.payloadOffset());
        assertEquals(6, p.payloadLen());
        assertArrayEquals(HELLO, slice(DATAGRAM, p.payloadOffset(), p.payloadLen()));
        assertTrue(p.verifyChecksum(A, B));
        assertEquals(0x422d, p.computeChecksum(A, B));
    }

    @Test
    void construct() {
        byte[] b = a5(14);
        UdpPacket p = new UdpPacket(b, 0, 14);
        p.setSrcPort(40000);
        p.setDstPort(9999);
        p.setLength16(14);
        System.arraycopy(HELLO, 0, b, p.payloadOffset(), HELLO.length);
        p.fillChecksum(A, B);
        assertArrayEquals(DATAGRAM, b);
    }

    @Test
    void parse() {
        assertEquals(REPR, UdpRepr.parse(new UdpPacket(DATAGRAM, 0, DATAGRAM.length), A, B));
    }

    @Test
    void emit() {
        byte[] b = a5(REPR.bufferLen());
        REPR.emit(new UdpPacket(b, 0, b.length), A, B);
        assertArrayEquals(DATAGRAM, b);
        byte[] c = a5(14);
        System.arraycopy(HELLO, 0, c, 8, 6);
        UdpRepr.emitHeader(new UdpPacket(c, 0, 14), 40000, 9999, 6, A, B);
        assertArrayEquals(DATAGRAM, c);
    }

    @Test
    void wholeFrameEmitsFromReprs() {
        byte[] f = Fixtures.UDP_HELLO;
        byte[] out = a5(f.length);
        EthernetRepr.parse(new EthernetFrame(f, 0, f.length)).emit(out, 0);
        new Ipv4Repr(Ipv4Address.of(A), Ipv4Address.of(B), IpProtocol.UDP, REPR.bufferLen(), 64, 0, 0, 0x170d, true, false, 0, null)
                .emit(out, 14);
        REPR.emit(out, 34, A, B);
        assertArrayEquals(f, out);
    }

    @Test
    void zeroChecksumMeansNone() {
        byte[] b = DATAGRAM.clone();
        b[6] = 0;
        b[7] = 0;
        UdpPacket p = new UdpPacket(b, 0, b.length);
        assertTrue(p.verifyChecksum(A, B));
        assertTrue(p.verifyChecksum(0x01020304, 0x05060708), "no checksum, any addresses");
        assertEquals(REPR, UdpRepr.parse(p, A, B));
    }

    @Test
    void computedZeroIsSentAsAllOnes() {
        // choose the last two payload bytes so the datagram sums to 0xffff with a zero checksum field
        byte[] b = new byte[16];
        UdpPacket p = new UdpPacket(b, 0, 16);
        p.setSrcPort(1234);
        p.setDstPort(53);
        p.setLength16(16);
        int s = Checksum.sum(b, 0, 16, Checksum.pseudoHeaderSum(A, B, IpProtocol.UDP, 16));
        Bytes.put16(b, 14, ~s & 0xffff);
        assertEquals(0xffff, p.computeChecksum(A, B));
        p.fillChecksum(A, B);
        assertEquals(0xffff, p.checksum());
        assertTrue(p.verifyChecksum(A, B));
        assertEquals(0, UdpPacket.validate(b, 0, 16, A, B));
    }

    @Test
    void truncatedAtEveryLengthIsRejected() {
        assertEveryTruncationRejected(DATAGRAM, "UDP", UdpPacket::validate, b -> UdpPacket.wrapChecked(b, 0, b.length));
    }

    @Test
    void lengthFieldBelowHeaderIsBadLength() {
        for (int len = 0; len < 8; len++) {
            byte[] b = DATAGRAM.clone();
            Bytes.put16(b, 4, len);
            assertEquals(MalformedPacketException.BAD_LENGTH, UdpPacket.validate(b, 0, b.length));
            assertMalformed("UDP", MalformedPacketException.Reason.BAD_LENGTH, () -> UdpPacket.wrapChecked(b, 0, b.length));
        }
    }

    @Test
    void lengthFieldBeyondTheIpPayloadIsTruncated() {
        byte[] b = DATAGRAM.clone();
        Bytes.put16(b, 4, 15);
        assertMalformed("UDP", MalformedPacketException.Reason.TRUNCATED, () -> UdpPacket.wrapChecked(b, 0, b.length));
    }

    @Test
    void bytesAfterTheLengthFieldAreIgnored() {
        byte[] b = java.util.Arrays.copyOf(DATAGRAM, 20);
        assertEquals(REPR, UdpRepr.parse(UdpPacket.wrapChecked(b, 0, b.length), A, B));
    }

    @Test
    void badChecksumIsRejected() {
        byte[] b = DATAGRAM.clone();
        b[9] ^= 0x20;
        assertEquals(MalformedPacketException.BAD_CHECKSUM, UdpPacket.validate(b, 0, b.length, A, B));
        assertMalformed("UDP", MalformedPacketException.Reason.BAD_CHECKSUM, () -> UdpRepr.parse(new UdpPacket(b, 0, b.length), A, B));
        assertEquals(MalformedPacketException.BAD_CHECKSUM, UdpPacket.validate(DATAGRAM, 0, DATAGRAM.length, A, A + 1),
                "wrong pseudo-header");
        assertEquals(0, UdpPacket.validate(DATAGRAM, 0, DATAGRAM.length, A, B));
    }

    @Test
    void natRewritesKeepTheChecksumValid() {
        SplittableRandom rnd = new SplittableRandom(768);
        byte[] b = DATAGRAM.clone();
        UdpPacket p = new UdpPacket(b, 0, b.length);
        int src = A;
        int dst = B;
        for (int i = 0; i < 500; i++) {
            int nsrc = rnd.nextInt();
            p.updateChecksumForAddress(src, nsrc);
            src = nsrc;
            int ndst = rnd.nextInt();
            p.updateChecksumForAddress(dst, ndst);
            dst = ndst;
            p.rewriteSrcPort(rnd.nextInt(0x10000));
            p.rewriteDstPort(rnd.nextInt(0x10000));
            assertEquals(p.computeChecksum(src, dst), p.checksum(), "round " + i);
            assertTrue(p.verifyChecksum(src, dst));
        }
    }

    @Test
    void natRewritesLeaveAnAbsentChecksumAbsent() {
        byte[] b = DATAGRAM.clone();
        b[6] = 0;
        b[7] = 0;
        UdpPacket p = new UdpPacket(b, 0, b.length);
        p.updateChecksumForAddress(A, 0x0a000001);
        p.rewriteSrcPort(1);
        assertEquals(0, p.checksum());
    }
}
