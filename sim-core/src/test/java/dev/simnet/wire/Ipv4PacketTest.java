package dev.simnet.wire;

import static dev.simnet.wire.WireAssertions.a5;
import static dev.simnet.wire.WireAssertions.assertEveryTruncationRejected;
import static dev.simnet.wire.WireAssertions.assertMalformed;
import static dev.simnet.wire.WireAssertions.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    /** The IP packet of the captured echo request 172.18.0.2 > 172.18.0.1 (84 bytes). */
    private static final byte[] PACKET = slice(Fixtures.ICMP_ECHO_REQUEST, 14, 84);
    private static final Ipv4Address A = Ipv4Address.parse("172.18.0.2");
    private static final Ipv4Address R = Ipv4Address.parse("172.18.0.1");
    private static final Ipv4Repr REPR = new Ipv4Repr(A, R, IpProtocol.ICMP, 64, 64, 0, 0, 0x4059, true, false, 0, null);

    @Test
    void deconstruct() {
        Ipv4Packet p = Ipv4Packet.wrapChecked(PACKET, 0, PACKET.length);
        assertEquals(4, p.version());
        assertEquals(20, p.headerLen());
        assertEquals(0, p.dscp());
        assertEquals(0, p.ecn());
        assertEquals(84, p.totalLen());
        assertEquals(0x4059, p.ident());
        assertTrue(p.dontFrag());
        assertFalse(p.moreFrags());
        assertEquals(0, p.fragOffsetBytes());
        assertFalse(p.isFragment());
        assertEquals(64, p.ttl());
        assertEquals(IpProtocol.ICMP, p.protocol());
        assertEquals(0xa228, p.checksum());
        assertEquals(A.bits(), p.src());
        assertEquals(R.bits(), p.dst());
        assertEquals(0, p.optionsLen());
        assertEquals(20, p.payloadOffset());
        assertEquals(64, p.payloadLen());
        assertTrue(p.verifyChecksum());
        assertEquals(0xa228, p.computeChecksum());
    }

    @Test
    void construct() {
        byte[] b = a5(20);
        Ipv4Packet p = new Ipv4Packet(b, 0, 20);
        p.setVersion(4);
        p.setHeaderLen(20);
        p.setDscp(0);
        p.setEcn(0);
        p.setTotalLen(84);
        p.setIdent(0x4059);
        p.clearFlags();
        p.setFragOffsetBytes(0);
        p.setDontFrag(true);
        p.setMoreFrags(false);
        p.setTtl(64);
        p.setProtocol(IpProtocol.ICMP);
        p.setSrc(A.bits());
        p.setDst(R.bits());
        p.fillChecksum();
        assertArrayEquals(slice(PACKET, 0, 20), b);
    }

    @Test
    void parse() {
        assertEquals(REPR, Ipv4Repr.parse(new Ipv4Packet(PACKET, 0, PACKET.length)));
    }

    @Test
    void emit() {
        byte[] b = a5(20);
        REPR.emit(new Ipv4Packet(b, 0, 20));
        assertArrayEquals(slice(PACKET, 0, 20), b);
        assertEquals(84, REPR.totalLen());
    }

    @Test
    void echoReplyFromTheKernelHasNoDfAndItsOwnIdent() {
        byte[] reply = slice(Fixtures.ICMP_ECHO_REPLY, 14, 84);
        Ipv4Repr r = Ipv4Repr.parse(Ipv4Packet.wrapChecked(reply, 0, reply.length));
        assertEquals(new Ipv4Repr(R, A, IpProtocol.ICMP, 64, 64, 0, 0, 0x0f31, false, false, 0, null), r);
        byte[] b = a5(20);
        r.emit(b, 0);
        assertArrayEquals(slice(reply, 0, 20), b);
    }

    @Test
    void optionsRoundTrip() {
        byte[] ra = Hex.parse("9404 0000"); // Router Alert (RFC 2113), as IGMP uses it
        Ipv4Repr r = new Ipv4Repr(A, Ipv4Address.parse("224.0.0.22"), 2, 16, 1, 0x30, 0, 0, true, false, 0, ra);
        byte[] b = a5(r.bufferLen() + 16);
        r.emit(b, 0);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertEquals(24, p.headerLen());
        assertEquals(4, p.optionsLen());
        assertArrayEquals(ra, slice(b, p.optionsOffset(), 4));
        assertEquals(0x30, p.dscp());
        assertEquals(0xc0, p.tos());
        assertTrue(p.verifyChecksum());
        assertEquals(r, Ipv4Repr.parse(p));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(A, A, 6, 0, 64, 0, 0, 0, true, false, 0, new byte[3]));
    }

    @Test
    void fragmentFieldsRoundTrip() {
        Ipv4Repr frag = new Ipv4Repr(A, R, IpProtocol.UDP, 1480, 64, 0, 0, 0x1234, false, true, 2960, null);
        byte[] b = a5(20);
        frag.emit(b, 0);
        Ipv4Packet p = new Ipv4Packet(b, 0, 20);
        assertTrue(p.moreFrags());
        assertFalse(p.dontFrag());
        assertEquals(2960, p.fragOffsetBytes());
        assertTrue(p.isFragment());
        assertEquals(0x2000 | (2960 / 8), Bytes.u16(b, 6));
        byte[] whole = new byte[1500];
        System.arraycopy(b, 0, whole, 0, 20);
        assertEquals(frag, Ipv4Repr.parse(new Ipv4Packet(whole, 0, whole.length)));
    }

    @Test
    void decrementTtlUpdatesTheChecksumAsTheRouterDid() {
        // the router forwarded the echo request to 10.99.0.2 with TTL 63; recompute checks the incremental update
        byte[] b = slice(Fixtures.ICMP_ECHO_REQUEST_DF_1400, 14, 1428);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertEquals(63, p.decrementTtl());
        assertEquals(63, p.ttl());
        assertTrue(p.verifyChecksum());
        assertEquals(p.computeChecksum(), p.checksum());
    }

    @Test
    void decrementTtlMatchesFullRecomputeForEveryTtl() {
        byte[] b = PACKET.clone();
        Ipv4Packet p = new Ipv4Packet(b, 0, b.length);
        for (int ttl = 255; ttl >= 1; ttl--) {
            p.setTtl(ttl);
            p.fillChecksum();
            p.decrementTtl();
            assertEquals(p.computeChecksum(), p.checksum(), "from TTL " + ttl);
        }
    }

    @Test
    void addressRewritesUpdateTheChecksumIncrementally() {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] b = PACKET.clone();
        Ipv4Packet p = new Ipv4Packet(b, 0, b.length);
        for (int i = 0; i < 200; i++) {
            int nsrc = rnd.nextInt();
            int ndst = rnd.nextInt();
            int oldSrc = p.src();
            assertEquals(oldSrc, p.rewriteSrc(nsrc));
            p.rewriteDst(ndst);
            assertEquals(nsrc, p.src());
            assertEquals(ndst, p.dst());
            assertEquals(p.computeChecksum(), p.checksum(), "round " + i);
        }
    }

    @Test
    void truncatedAtEveryLengthIsRejected() {
        assertEveryTruncationRejected(PACKET, "IPv4", Ipv4Packet::validate, b -> Ipv4Packet.wrapChecked(b, 0, b.length));
    }

    @Test
    void ethernetPaddingAfterTotalLengthIsIgnored() {
        byte[] padded = java.util.Arrays.copyOf(PACKET, 100);
        Ipv4Packet p = Ipv4Packet.wrapChecked(padded, 0, padded.length);
        assertEquals(64, p.payloadLen());
        assertEquals(REPR, Ipv4Repr.parse(p));
    }

    @Test
    void badVersionIsRejected() {
        for (int v : new int[] {0, 5, 6, 15}) {
            byte[] b = PACKET.clone();
            b[0] = (byte) ((v << 4) | 5);
            assertEquals(MalformedPacketException.BAD_VERSION, Ipv4Packet.validate(b, 0, b.length));
            assertMalformed("IPv4", MalformedPacketException.Reason.BAD_VERSION, () -> Ipv4Packet.wrapChecked(b, 0, b.length));
        }
    }

    @Test
    void headerLengthBelowFiveWordsIsRejected() {
        for (int ihl = 0; ihl < 5; ihl++) {
            byte[] b = PACKET.clone();
            b[0] = (byte) (0x40 | ihl);
            assertEquals(MalformedPacketException.BAD_HEADER_LENGTH, Ipv4Packet.validate(b, 0, b.length));
            assertMalformed("IPv4", MalformedPacketException.Reason.BAD_HEADER_LENGTH, () -> Ipv4Packet.wrapChecked(b, 0, b.length));
        }
    }

    @Test
    void headerLengthBeyondTheBufferIsTruncated() {
        byte[] b = slice(PACKET, 0, 40);
        b[0] = 0x4f; // 60-byte header in a 40-byte buffer
        assertMalformed("IPv4", MalformedPacketException.Reason.TRUNCATED, () -> Ipv4Packet.wrapChecked(b, 0, b.length));
    }

    @Test
    void totalLengthBelowHeaderLengthIsBadLength() {
        byte[] b = PACKET.clone();
        Bytes.put16(b, 2, 19);
        assertMalformed("IPv4", MalformedPacketException.Reason.BAD_LENGTH, () -> Ipv4Packet.wrapChecked(b, 0, b.length));
        byte[] c = PACKET.clone();
        c[0] = 0x46;
        Bytes.put16(c, 2, 22);
        assertEquals(MalformedPacketException.BAD_LENGTH, Ipv4Packet.validate(c, 0, c.length));
    }

    @Test
    void totalLengthBeyondTheBufferIsTruncated() {
        byte[] b = PACKET.clone();
        Bytes.put16(b, 2, 85);
        assertMalformed("IPv4", MalformedPacketException.Reason.TRUNCATED, () -> Ipv4Packet.wrapChecked(b, 0, b.length));
    }

    @Test
    void badChecksumIsRejectedByParseAndTheFastCheck() {
        byte[] b = PACKET.clone();
        b[8] = 63; // TTL changed without updating the checksum
        assertEquals(0, Ipv4Packet.validate(b, 0, b.length));
        assertEquals(MalformedPacketException.BAD_CHECKSUM, Ipv4Packet.validate(b, 0, b.length, true));
        assertEquals(0, Ipv4Packet.validate(PACKET, 0, PACKET.length, true));
        assertMalformed("IPv4", MalformedPacketException.Reason.BAD_CHECKSUM, () -> Ipv4Repr.parse(new Ipv4Packet(b, 0, b.length)));
    }

    @Test
    void quotedHeaderCheckAllowsTotalLengthBeyondTheQuote() {
        byte[] quoted = slice(PACKET, 0, 28);
        assertEquals(MalformedPacketException.TRUNCATED, Ipv4Packet.validate(quoted, 0, 28));
        assertEquals(0, Ipv4Packet.validateQuoted(quoted, 0, 28));
        assertEquals(MalformedPacketException.TRUNCATED, Ipv4Packet.validateQuoted(quoted, 0, 19));
    }

    @Test
    void pseudoHeaderSumUsesPayloadLength() {
        Ipv4Packet p = new Ipv4Packet(PACKET, 0, PACKET.length);
        assertEquals(Checksum.pseudoHeaderSum(A.bits(), R.bits(), 1, 64), p.pseudoHeaderSum());
    }
}
