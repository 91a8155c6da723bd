package dev.simnet.wire;

import static dev.simnet.wire.WireAssertions.a5;
import static dev.simnet.wire.WireAssertions.assertEveryTruncationRejected;
import static dev.simnet.wire.WireAssertions.assertMalformed;
import static dev.simnet.wire.WireAssertions.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IcmpPacketTest {
    private static final byte[] ECHO_REQUEST = slice(Fixtures.ICMP_ECHO_REQUEST, 34, 64);
    private static final byte[] ECHO_REPLY = slice(Fixtures.ICMP_ECHO_REPLY, 34, 64);
    private static final byte[] TIME_EXCEEDED = slice(Fixtures.ICMP_TIME_EXCEEDED, 34, 92);
    private static final byte[] PORT_UNREACHABLE = slice(Fixtures.ICMP_PORT_UNREACHABLE, 34, 42);
    private static final byte[] FRAG_NEEDED = slice(Fixtures.ICMP_FRAG_NEEDED, 34, 556);
    /** ping's payload: a 16-byte timeval, then 0x10, 0x11, … */
    private static final byte[] PING_DATA = slice(ECHO_REQUEST, 8, 56);

    @Test
    void deconstructEchoRequest() {
        IcmpPacket p = IcmpPacket.wrapChecked(ECHO_REQUEST, 0, ECHO_REQUEST.length);
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, p.type());
        assertEquals(0, p.code());
        assertEquals(0xb0d3, p.checksum());
        assertEquals(11043, p.echoIdent());
        assertEquals(1, p.echoSeq());
        assertEquals(8, p.dataOffset());
        assertEquals(56, p.dataLen());
        assertEquals(0x10, ECHO_REQUEST[p.dataOffset() + 16], "after the 16-byte struct timeval iputils writes");
        assertTrue(p.verifyChecksum());
        assertEquals(p.checksum(), p.computeChecksum());
    }

    @Test
    void constructEchoRequest() {
        byte[] b = a5(64);
        IcmpPacket p = new IcmpPacket(b, 0, 64);
        p.setType(IcmpPacket.TYPE_ECHO_REQUEST);
        p.setCode(0);
        p.setEchoIdent(11043);
        p.setEchoSeq(1);
        System.arraycopy(PING_DATA, 0, b, p.dataOffset(), PING_DATA.length);
        p.fillChecksum();
        assertArrayEquals(ECHO_REQUEST, b);
    }

    @Test
    void parseAndEmitEcho() {
        IcmpRepr.EchoRequest req = new IcmpRepr.EchoRequest(11043, 1, PING_DATA);
        assertEquals(req, IcmpRepr.parse(new IcmpPacket(ECHO_REQUEST, 0, 64)));
        assertEquals(req.reply(), IcmpRepr.parse(new IcmpPacket(ECHO_REPLY, 0, 64)));
        byte[] b = a5(req.bufferLen());
        req.emit(new IcmpPacket(b, 0, b.length));
        assertArrayEquals(ECHO_REQUEST, b);
        byte[] c = a5(64);
        req.reply().emit(c, 0);
        assertArrayEquals(ECHO_REPLY, c);
    }

    @Test
    void deconstructTimeExceeded() {
        IcmpPacket p = IcmpPacket.wrapChecked(TIME_EXCEEDED, 0, TIME_EXCEEDED.length).checkChecksum();
        assertEquals(IcmpPacket.TYPE_TIME_EXCEEDED, p.type());
        assertEquals(IcmpPacket.CODE_TTL_EXCEEDED, p.code());
        assertEquals(0, p.restOfHeader());
        Ipv4Packet quoted = new Ipv4Packet(TIME_EXCEEDED, p.dataOffset(), p.dataLen()).checkLen();
        assertEquals(1, quoted.ttl(), "the router quotes the packet as it arrived, TTL 1");
        assertEquals(IpProtocol.ICMP, quoted.protocol());
        assertArrayEquals(slice(Fixtures.ICMP_ECHO_REQUEST_TTL1, 14, 84), slice(TIME_EXCEEDED, 8, 84));
    }

    @Test
    void parseAndEmitErrors() {
        IcmpRepr te = IcmpRepr.parse(new IcmpPacket(TIME_EXCEEDED, 0, TIME_EXCEEDED.length));
        assertEquals(new IcmpRepr.TimeExceeded(IcmpPacket.CODE_TTL_EXCEEDED, slice(TIME_EXCEEDED, 8, 84)), te);
        IcmpRepr pu = IcmpRepr.parse(new IcmpPacket(PORT_UNREACHABLE, 0, PORT_UNREACHABLE.length));
        assertEquals(new IcmpRepr.DestUnreachable(IcmpPacket.CODE_PORT_UNREACHABLE, 0, slice(PORT_UNREACHABLE, 8, 34)), pu);
        IcmpRepr fn = IcmpRepr.parse(new IcmpPacket(FRAG_NEEDED, 0, FRAG_NEEDED.length));
        assertEquals(new IcmpRepr.DestUnreachable(IcmpPacket.CODE_FRAG_NEEDED, 1280, slice(FRAG_NEEDED, 8, 548)), fn);
        for (IcmpRepr r : new IcmpRepr[] {te, pu, fn}) {
            byte[] expected = r == te ? TIME_EXCEEDED : r == pu ? PORT_UNREACHABLE : FRAG_NEEDED;
            byte[] b = a5(r.bufferLen());
            r.emit(b, 0);
            assertArrayEquals(expected, b, r.toString());
        }
    }

    @Test
    void fragNeededCarriesTheNextHopMtu() {
        IcmpPacket p = IcmpPacket.wrapChecked(FRAG_NEEDED, 0, FRAG_NEEDED.length);
        assertEquals(IcmpPacket.CODE_FRAG_NEEDED, p.code());
        assertEquals(1280, p.nextHopMtu());
        assertEquals(548, p.dataLen());
    }

    @Test
    void otherTypesRoundTripRaw() {
        IcmpRepr.Other redirect = new IcmpRepr.Other(IcmpPacket.TYPE_REDIRECT, 1, 0xac120063, slice(TIME_EXCEEDED, 8, 28));
        byte[] b = a5(redirect.bufferLen());
        redirect.emit(b, 0);
        assertEquals(redirect, IcmpRepr.parse(IcmpPacket.wrapChecked(b, 0, b.length)));
        IcmpRepr.Other ts = new IcmpRepr.Other(IcmpPacket.TYPE_TIMESTAMP, 0, 0x00010002, new byte[12]);
        byte[] c = a5(ts.bufferLen());
        ts.emit(c, 0);
        assertEquals(ts, IcmpRepr.parse(IcmpPacket.wrapChecked(c, 0, c.length)));
    }

    @Test
    void echoWithNonZeroCodeIsKeptRaw() {
        byte[] b = ECHO_REQUEST.clone();
        IcmpPacket p = new IcmpPacket(b, 0, b.length);
        p.setCode(1);
        p.fillChecksum();
        assertInstanceOf(IcmpRepr.Other.class, IcmpRepr.parse(p));
    }

    @Test
    void rewriteEchoIdentUpdatesTheChecksum() {
        byte[] b = ECHO_REQUEST.clone();
        IcmpPacket p = new IcmpPacket(b, 0, b.length);
        for (int id = 0; id < 0x10000; id += 0x1111) {
            p.rewriteEchoIdent(id);
            assertEquals(id, p.echoIdent());
            assertEquals(p.computeChecksum(), p.checksum(), "id " + id);
        }
    }

    @Test
    void natRewriteOfAQuotedDatagramKeepsEveryChecksumValid() {
        // SNAT'ed reply direction: the port-unreachable quotes 172.18.0.2:40000 -> 10.99.0.2:9999;
        // translate the quoted source back to 10.0.0.5:1234 as conntrack would for an inner packet
        byte[] b = PORT_UNREACHABLE.clone();
        IcmpPacket p = IcmpPacket.wrapChecked(b, 0, b.length);
        Ipv4Packet q = p.quoted(new Ipv4Packet());
        assertEquals(0, Ipv4Packet.validateQuoted(b, q.offset(), q.length()));
        int oldSrc = q.rewriteSrc(0x0a000005);
        UdpPacket u = new UdpPacket(b, q.payloadOffset(), b.length - q.payloadOffset());
        u.updateChecksumForAddress(oldSrc, 0x0a000005);
        u.rewriteSrcPort(1234);
        p.fillChecksum();
        assertTrue(q.verifyChecksum());
        assertTrue(p.verifyChecksum());
        assertTrue(u.verifyChecksum(0x0a000005, q.dst()), "the quoted datagram is complete here, so its checksum is checkable");
        assertEquals(1234, u.srcPort());
    }

    @Test
    void headerTruncatedAtEveryLengthIsRejected() {
        assertEveryTruncationRejected(slice(ECHO_REQUEST, 0, 8), "ICMP", IcmpPacket::validate, b -> IcmpPacket.wrapChecked(b, 0, b.length));
    }

    @Test
    void errorWithoutQuotedHeaderAndEightBytesIsRejectedAtEveryLength() {
        assertEveryTruncationRejected(slice(PORT_UNREACHABLE, 0, 36), "ICMP", IcmpPacket::validate, b -> IcmpPacket.wrapChecked(b, 0, b.length));
    }

    @Test
    void errorQuotingANonIpv4HeaderIsRejected() {
        byte[] b = PORT_UNREACHABLE.clone();
        b[8] = 0x65;
        assertMalformed("ICMP", MalformedPacketException.Reason.BAD_VERSION, () -> IcmpPacket.wrapChecked(b, 0, b.length));
        byte[] c = PORT_UNREACHABLE.clone();
        c[8] = 0x44;
        assertMalformed("ICMP", MalformedPacketException.Reason.BAD_HEADER_LENGTH, () -> IcmpPacket.wrapChecked(c, 0, c.length));
    }

    @Test
    void truncatedEchoFailsItsChecksum() {
        byte[] b = slice(ECHO_REQUEST, 0, 40);
        assertEquals(0, IcmpPacket.validate(b, 0, b.length));
        assertEquals(MalformedPacketException.BAD_CHECKSUM, IcmpPacket.validate(b, 0, b.length, true));
        assertMalformed("ICMP", MalformedPacketException.Reason.BAD_CHECKSUM, () -> IcmpRepr.parse(new IcmpPacket(b, 0, b.length)));
    }

    @Test
    void corruptedByteFailsTheChecksum() {
        byte[] b = ECHO_REQUEST.clone();
        b[40] ^= 1;
        assertMalformed("ICMP", MalformedPacketException.Reason.BAD_CHECKSUM, () -> IcmpRepr.parse(new IcmpPacket(b, 0, b.length)));
    }
}
