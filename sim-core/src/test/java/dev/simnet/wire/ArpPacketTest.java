package dev.simnet.wire;

import static dev.simnet.wire.WireAssertions.a5;
import static dev.simnet.wire.WireAssertions.assertEveryTruncationRejected;
import static dev.simnet.wire.WireAssertions.assertMalformed;
import static dev.simnet.wire.WireAssertions.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import org.junit.jupiter.api.Test;

class ArpPacketTest {
    private static final byte[] REQUEST = slice(Fixtures.ARP_REQUEST, 14, 28);
    private static final byte[] REPLY = slice(Fixtures.ARP_REPLY, 14, 28);
    private static final MacAddress A = MacAddress.parse("02:42:ac:12:00:02");
    private static final MacAddress R = MacAddress.parse("02:42:ac:12:00:01");
    private static final Ipv4Address IP_A = Ipv4Address.parse("172.18.0.2");
    private static final Ipv4Address IP_R = Ipv4Address.parse("172.18.0.1");

    @Test
    void deconstructRequest() {
        ArpPacket p = ArpPacket.wrapChecked(REQUEST, 0, REQUEST.length);
        assertEquals(1, p.htype());
        assertEquals(0x0800, p.ptype());
        assertEquals(6, p.hlen());
        assertEquals(4, p.plen());
        assertEquals(ArpPacket.OP_REQUEST, p.op());
        assertEquals(A.bits(), p.sha());
        assertEquals(IP_A.bits(), p.spa());
        assertEquals(0L, p.tha());
        assertEquals(IP_R.bits(), p.tpa());
    }

    @Test
    void constructReply() {
        byte[] b = a5(28);
        ArpPacket p = new ArpPacket(b, 0, 28);
        p.setHtype(1);
        p.setPtype(0x0800);
        p.setHlen(6);
        p.setPlen(4);
        p.setOp(ArpPacket.OP_REPLY);
        p.setSha(R.bits());
        p.setSpa(IP_R.bits());
        p.setTha(A.bits());
        p.setTpa(IP_A.bits());
        assertArrayEquals(REPLY, b);
    }

    @Test
    void parse() {
        assertEquals(ArpRepr.request(A, IP_A, IP_R), ArpRepr.parse(new ArpPacket(REQUEST, 0, 28)));
        assertEquals(ArpRepr.reply(R, IP_R, A, IP_A), ArpRepr.parse(new ArpPacket(REPLY, 0, 28)));
    }

    @Test
    void emit() {
        byte[] b = a5(28);
        ArpRepr.request(A, IP_A, IP_R).emit(new ArpPacket(b, 0, 28));
        assertArrayEquals(REQUEST, b);
        byte[] c = a5(28);
        ArpRepr.reply(R, IP_R, A, IP_A).emit(c, 0);
        assertArrayEquals(REPLY, c);
    }

    @Test
    void wholeFramesEmitFromReprs() {
        byte[] frame = a5(42);
        new EthernetRepr(MacAddress.BROADCAST, A, EtherType.ARP).emit(frame, 0);
        ArpRepr.request(A, IP_A, IP_R).emit(frame, 14);
        assertArrayEquals(Fixtures.ARP_REQUEST, frame);
    }

    @Test
    void truncatedAtEveryLengthIsRejected() {
        assertEveryTruncationRejected(REQUEST, "ARP", ArpPacket::validate, b -> ArpPacket.wrapChecked(b, 0, b.length));
    }

    @Test
    void otherHardwareOrProtocolIsUnsupported() {
        for (int at : new int[] {1, 2, 4, 5}) {
            byte[] b = REQUEST.clone();
            b[at] ^= 0x10;
            assertEquals(MalformedPacketException.UNSUPPORTED, ArpPacket.validate(b, 0, b.length), "byte " + at);
            assertMalformed("ARP", MalformedPacketException.Reason.UNSUPPORTED, () -> ArpRepr.parse(new ArpPacket(b, 0, b.length)));
        }
    }

    @Test
    void ethernetPaddingAfterThePacketIsAccepted() {
        byte[] padded = java.util.Arrays.copyOf(REQUEST, 46);
        assertEquals(ArpRepr.request(A, IP_A, IP_R), ArpRepr.parse(ArpPacket.wrapChecked(padded, 0, padded.length)));
    }
}
