package dev.simnet.wire;

import static dev.simnet.wire.WireAssertions.a5;
import static dev.simnet.wire.WireAssertions.assertEveryTruncationRejected;
import static dev.simnet.wire.WireAssertions.assertMalformed;
import static dev.simnet.wire.WireAssertions.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TcpPacketTest {
    private static final int A = Ipv4Address.parse("172.18.0.2").bits();
    private static final int B = Ipv4Address.parse("10.99.0.2").bits();
    /** Linux's SYN: MSS 1240 (route MTU 1280), SACK-permitted, timestamps, NOP, window scale 10. */
    private static final byte[] SYN = slice(Fixtures.TCP_SYN, 34, 40);
    private static final byte[] SYN_ACK = slice(Fixtures.TCP_SYN_ACK, 34, 40);
    private static final byte[] ACK_TS = slice(Fixtures.TCP_ACK_TS, 34, 32);
    private static final byte[] PSH_DATA = slice(Fixtures.TCP_PSH_DATA, 34, 37);
    private static final byte[] RST_ACK = slice(Fixtures.TCP_RST_ACK, 34, 20);

    private static final TcpRepr SYN_REPR = new TcpRepr(40002, 8080, 413823205, 0, TcpPacket.SYN, 64480, 0,
            1240, 10, true, null, new TcpRepr.Timestamps((int) 4153897151L, 0), null);

    @Test
    void deconstructSyn() {
        TcpPacket p = TcpPacket.wrapChecked(SYN, 0, SYN.length);
        assertEquals(40002, p.srcPort());
        assertEquals(8080, p.dstPort());
        assertEquals(413823205, p.seq());
        assertEquals(0, p.ack());
        assertEquals(40, p.headerLen());
        assertEquals(TcpPacket.SYN, p.flags());
        assertTrue(p.syn());
        assertFalse(p.ackFlag() || p.fin() || p.rst() || p.psh() || p.urg() || p.ece() || p.cwr());
        assertEquals(64480, p.window());
        assertEquals(0xe8c5, p.checksum());
        assertEquals(0, p.urgent());
        assertEquals(20, p.optionsLen());
        assertEquals(0, p.payloadLen());
        assertEquals(1, p.segmentLen());
        assertEquals(1240, p.mssOption());
        assertEquals(p.optionsOffset(), p.findOption(TcpPacket.OPT_MSS));
        assertEquals(p.optionsOffset() + 4, p.findOption(TcpPacket.OPT_SACK_PERMITTED));
        assertEquals(p.optionsOffset() + 6, p.findOption(TcpPacket.OPT_TIMESTAMPS));
        assertEquals(p.optionsOffset() + 17, p.findOption(TcpPacket.OPT_WSCALE));
        assertEquals(-1, p.findOption(TcpPacket.OPT_SACK));
        assertTrue(p.verifyChecksum(A, B));
        assertEquals(0xe8c5, p.computeChecksum(A, B));
    }

    @Test
    void constructSyn() {
        byte[] b = a5(40);
        TcpPacket p = new TcpPacket(b, 0, 40);
        p.setSrcPort(40002);
        p.setDstPort(8080);
        p.setSeq(413823205);
        p.setAck(0);
        p.setHeaderLen(40);
        p.setFlags(TcpPacket.SYN);
        p.setWindow(64480);
        p.setUrgent(0);
        System.arraycopy(Hex.parse("0204 04d8 0402 080a f797 70bf 0000 0000 0103 030a"), 0, b, p.optionsOffset(), 20);
        p.fillChecksum(A, B);
        assertArrayEquals(SYN, b);
    }

    @Test
    void parseSyn() {
        TcpRepr r = TcpRepr.parse(new TcpPacket(SYN, 0, SYN.length), A, B);
        assertEquals(SYN_REPR, r);
        assertEquals(4153897151L, Integer.toUnsignedLong(r.timestamps().tsVal()));
    }

    @Test
    void emitSynLaysOptionsOutAsLinux() {
        byte[] b = a5(SYN_REPR.bufferLen());
        SYN_REPR.emit(new TcpPacket(b, 0, b.length), A, B);
        assertArrayEquals(SYN, b);
    }

    @Test
    void synAckAckDataAndRstRoundTrip() {
        byte[][] segments = {SYN_ACK, ACK_TS, PSH_DATA, RST_ACK};
        for (byte[] seg : segments) {
            boolean fromB = seg == SYN_ACK || seg == RST_ACK;
            int src = fromB ? B : A;
            int dst = fromB ? A : B;
            TcpRepr r = TcpRepr.parse(TcpPacket.wrapChecked(seg, 0, seg.length), src, dst);
            byte[] b = a5(r.bufferLen());
            r.emit(b, 0, src, dst);
            assertArrayEquals(seg, b, r.toString());
        }
    }

    @Test
    void parseSegmentsWithTimestampsOnlyAndPayload() {
        TcpRepr data = TcpRepr.parse(new TcpPacket(PSH_DATA, 0, PSH_DATA.length), A, B);
        assertEquals(TcpPacket.PSH | TcpPacket.ACK, data.flags());
        assertTrue(data.hasFlags(TcpPacket.ACK));
        assertEquals(-1, data.mss());
        assertEquals(-1, data.windowScale());
        assertFalse(data.sackPermitted());
        assertEquals(new TcpRepr.Timestamps((int) 4153897151L, (int) 3416435193L), data.timestamps());
        assertArrayEquals("data\n".getBytes(StandardCharsets.US_ASCII), data.payload());
        assertEquals(5, data.segmentLen());
        assertEquals(32, data.headerLen());
        TcpRepr rst = TcpRepr.parse(new TcpPacket(RST_ACK, 0, RST_ACK.length), B, A);
        assertEquals(TcpRepr.of(8081, 40003, 0, 702930979, TcpPacket.RST | TcpPacket.ACK, 0, null), rst);
        assertNull(rst.timestamps());
    }

    @Test
    void sackBlocksAndSackPermittedWithoutTimestamps() {
        TcpRepr r = new TcpRepr(80, 40000, 1000, 2000, TcpPacket.ACK, 512, 0, -1, -1, false,
                new int[] {3000, 4000, 5000, (int) 4294967000L}, new TcpRepr.Timestamps(7, 8), null);
        byte[] b = a5(r.bufferLen());
        r.emit(b, 0, A, B);
        TcpPacket p = TcpPacket.wrapChecked(b, 0, b.length);
        // NOP NOP TS(10) NOP NOP SACK(2 + 16) = 32 option bytes
        assertEquals(52, p.headerLen());
        assertArrayEquals(Hex.parse("0101 080a 0000 0007 0000 0008 0101 0512"), slice(b, 20, 16));
        assertEquals(r, TcpRepr.parse(p, A, B));
        TcpRepr sackOkOnly = new TcpRepr(1, 2, 0, 0, TcpPacket.SYN, 100, 0, 536, -1, true, null, null, null);
        byte[] c = a5(sackOkOnly.bufferLen());
        sackOkOnly.emit(c, 0, A, B);
        assertArrayEquals(Hex.parse("0204 0218 0101 0402"), slice(c, 20, 8));
        assertEquals(sackOkOnly, TcpRepr.parse(new TcpPacket(c, 0, c.length), A, B));
    }

    @Test
    void windowScaleAloneIsPaddedToAWord() {
        TcpRepr r = new TcpRepr(1, 2, 0, 0, TcpPacket.SYN, 100, 0, -1, 7, false, null, null, null);
        assertEquals(24, r.headerLen());
        byte[] b = a5(24);
        r.emit(b, 0, A, B);
        assertArrayEquals(Hex.parse("0103 0307"), slice(b, 20, 4));
        assertEquals(r, TcpRepr.parse(new TcpPacket(b, 0, 24), A, B));
    }

    @Test
    void optionsBeyond40BytesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(1, 2, 0, 0, TcpPacket.ACK, 1, 0, 1460, 7, true,
                new int[8], new TcpRepr.Timestamps(1, 2), null));
    }

    @Test
    void optionParsingIsLenientLikeLinux() {
        // MSS, then an option with length 1 (malformed): parsing stops, the segment is kept
        byte[] seg = buildWithOptions(Hex.parse("0204 05b4 0301 0000"));
        TcpRepr r = TcpRepr.parse(TcpPacket.wrapChecked(seg, 0, seg.length), A, B);
        assertEquals(1460, r.mss());
        assertEquals(-1, r.windowScale());
        // unknown option kind 30 (MPTCP) skipped, EOL ends the list
        byte[] seg2 = buildWithOptions(Hex.parse("1e04 0000 0303 0800"));
        TcpRepr r2 = TcpRepr.parse(TcpPacket.wrapChecked(seg2, 0, seg2.length), A, B);
        assertEquals(8, r2.windowScale());
        byte[] seg3 = buildWithOptions(Hex.parse("0000 0000 0204 05b4"));
        assertEquals(-1, TcpRepr.parse(new TcpPacket(seg3, 0, seg3.length), A, B).mss(), "after EOL");
        assertEquals(-1, new TcpPacket(seg3, 0, seg3.length).mssOption());
        // option length running past the header
        byte[] seg4 = buildWithOptions(Hex.parse("0101 0208 05b4"));
        assertEquals(-1, TcpRepr.parse(new TcpPacket(seg4, 0, seg4.length), A, B).mss());
        // MSS with a wrong length is ignored
        byte[] seg5 = buildWithOptions(Hex.parse("0203 0501"));
        assertEquals(-1, TcpRepr.parse(new TcpPacket(seg5, 0, seg5.length), A, B).mss());
    }

    private static byte[] buildWithOptions(byte[] options) {
        int hl = 20 + ((options.length + 3) & ~3);
        byte[] b = new byte[hl];
        TcpPacket p = new TcpPacket(b, 0, hl);
        p.setSrcPort(1);
        p.setDstPort(2);
        p.setHeaderLen(hl);
        p.setFlags(TcpPacket.SYN);
        System.arraycopy(options, 0, b, 20, options.length);
        p.fillChecksum(A, B);
        return b;
    }

    @Test
    void truncatedAtEveryLengthIsRejected() {
        assertEveryTruncationRejected(SYN, "TCP", TcpPacket::validate, b -> TcpPacket.wrapChecked(b, 0, b.length));
    }

    @Test
    void dataOffsetBelowFiveIsRejected() {
        for (int doff = 0; doff < 5; doff++) {
            byte[] b = SYN.clone();
            b[12] = (byte) (doff << 4);
            assertEquals(MalformedPacketException.BAD_HEADER_LENGTH, TcpPacket.validate(b, 0, b.length));
            assertMalformed("TCP", MalformedPacketException.Reason.BAD_HEADER_LENGTH, () -> TcpPacket.wrapChecked(b, 0, b.length));
        }
        byte[] c = SYN.clone();
        c[12] = (byte) 0xf0;
        assertMalformed("TCP", MalformedPacketException.Reason.TRUNCATED, () -> TcpPacket.wrapChecked(c, 0, c.length));
    }

    @Test
    void badChecksumIsRejected() {
        byte[] b = SYN.clone();
        b[39] = 9;
        assertEquals(MalformedPacketException.BAD_CHECKSUM, TcpPacket.validate(b, 0, b.length, A, B));
        assertEquals(0, TcpPacket.validate(SYN, 0, SYN.length, A, B));
        assertMalformed("TCP", MalformedPacketException.Reason.BAD_CHECKSUM, () -> TcpRepr.parse(new TcpPacket(b, 0, b.length), A, B));
    }

    @Test
    void natRewritesKeepTheChecksumValid() {
        SplittableRandom rnd = new SplittableRandom(793);
        byte[] b = PSH_DATA.clone();
        TcpPacket p = new TcpPacket(b, 0, b.length);
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
        }
        assertTrue(p.verifyChecksum(src, dst));
    }

    @Test
    void flagLettersAreTcpdumps() {
        assertEquals("S", PacketFormatter.tcpFlags(TcpPacket.SYN));
        assertEquals("S.", PacketFormatter.tcpFlags(TcpPacket.SYN | TcpPacket.ACK));
        assertEquals("FP.", PacketFormatter.tcpFlags(TcpPacket.FIN | TcpPacket.PSH | TcpPacket.ACK));
        assertEquals("R.", PacketFormatter.tcpFlags(TcpPacket.RST | TcpPacket.ACK));
        assertEquals("SEW", PacketFormatter.tcpFlags(TcpPacket.SYN | TcpPacket.ECE | TcpPacket.CWR));
        assertEquals("none", PacketFormatter.tcpFlags(0));
    }
}
