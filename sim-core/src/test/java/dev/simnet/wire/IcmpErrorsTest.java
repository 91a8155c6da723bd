package dev.simnet.wire;

import static dev.simnet.wire.WireAssertions.a5;
import static dev.simnet.wire.WireAssertions.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import org.junit.jupiter.api.Test;

/** The builder reproduces the ICMP errors the real kernel sent in the capture, byte for byte. */
class IcmpErrorsTest {
    private static final int ROUTER = Ipv4Address.parse("172.18.0.1").bits();
    private static final int B = Ipv4Address.parse("10.99.0.2").bits();

    private static byte[] ip(byte[] frame) {
        return slice(frame, 14, frame.length - 14);
    }

    private static int identOf(byte[] ipPacket) {
        return Bytes.u16(ipPacket, 4);
    }

    @Test
    void timeExceededAsTheRouterSentIt() {
        byte[] offender = ip(Fixtures.ICMP_ECHO_REQUEST_TTL1);
        byte[] expected = ip(Fixtures.ICMP_TIME_EXCEEDED);
        byte[] out = a5(expected.length + 10);
        int n = IcmpErrors.emit(out, 0, offender, 0, offender.length, IcmpPacket.TYPE_TIME_EXCEEDED,
                IcmpPacket.CODE_TTL_EXCEEDED, 0, ROUTER, identOf(expected), 1500);
        assertEquals(expected.length, n);
        assertArrayEquals(expected, slice(out, 0, n));
        assertEquals((byte) 0xa5, out[n], "nothing written past the datagram");
    }

    @Test
    void fragmentationNeededQuotesAsMuchAsFitsIn576Bytes() {
        byte[] offender = ip(Fixtures.ICMP_ECHO_REQUEST_DF_1400);
        byte[] expected = ip(Fixtures.ICMP_FRAG_NEEDED);
        assertEquals(576, expected.length);
        byte[] out = a5(1500);
        int n = IcmpErrors.emit(out, 0, offender, 0, offender.length, IcmpPacket.TYPE_DEST_UNREACHABLE,
                IcmpPacket.CODE_FRAG_NEEDED, 1280, ROUTER, identOf(expected), 1500);
        assertArrayEquals(expected, slice(out, 0, n));
    }

    @Test
    void netUnreachableAsTheRouterSentIt() {
        byte[] offender = ip(Fixtures.ICMP_ECHO_REQUEST_UNROUTED);
        byte[] expected = ip(Fixtures.ICMP_NET_UNREACHABLE);
        byte[] out = a5(expected.length);
        int n = IcmpErrors.emit(out, 0, offender, 0, offender.length, IcmpPacket.TYPE_DEST_UNREACHABLE,
                IcmpPacket.CODE_NET_UNREACHABLE, 0, ROUTER, identOf(expected), 1500);
        assertArrayEquals(expected, slice(out, 0, n));
    }

    @Test
    void portUnreachableAsHostBSentItAndTheRouterForwardedIt() {
        // B received the datagram after the router decremented its TTL ...
        byte[] offender = ip(Fixtures.UDP_HELLO);
        new Ipv4Packet(offender, 0, offender.length).decrementTtl();
        byte[] expected = ip(Fixtures.ICMP_PORT_UNREACHABLE);
        byte[] out = a5(expected.length);
        int n = IcmpErrors.emit(out, 0, offender, 0, offender.length, IcmpPacket.TYPE_DEST_UNREACHABLE,
                IcmpPacket.CODE_PORT_UNREACHABLE, 0, B, identOf(expected), 1500);
        // ... and the router decremented the error's TTL on the way back
        new Ipv4Packet(out, 0, n).decrementTtl();
        assertArrayEquals(expected, slice(out, 0, n));
    }

    @Test
    void smallRouteMtuShrinksTheQuote() {
        byte[] offender = ip(Fixtures.ICMP_ECHO_REQUEST_DF_1400);
        byte[] out = new byte[600];
        int n = IcmpErrors.emit(out, 0, offender, 0, offender.length, 3, 4, 1280, ROUTER, 1, 400);
        assertEquals(400, n);
        Ipv4Packet ip = Ipv4Packet.wrapChecked(out, 0, n).checkChecksum();
        IcmpPacket ic = IcmpPacket.wrapChecked(out, ip.payloadOffset(), ip.payloadLen()).checkChecksum();
        assertEquals(400 - 28, ic.dataLen());
        assertEquals(372, IcmpErrors.quotedLen(1428, 400));
        assertEquals(548, IcmpErrors.quotedLen(1428, 9000));
        assertEquals(84, IcmpErrors.quotedLen(84, 1500));
    }

    @Test
    void tosKeepsTheOffendersTosBitsAndAddsInternetControlPrecedence() {
        byte[] offender = ip(Fixtures.UDP_HELLO);
        Ipv4Packet o = new Ipv4Packet(offender, 0, offender.length);
        o.setTos(0xb9); // DSCP 46 (EF) + ECN 1: only the 0x1e bits survive
        o.fillChecksum();
        byte[] out = new byte[100];
        IcmpErrors.emit(out, 0, offender, 0, offender.length, 3, 3, 0, B, 7, 1500);
        assertEquals(0xc0 | (0xb9 & 0x1e), Bytes.u8(out, 1));
    }

    @Test
    void noErrorAboutErrorsFragmentsBroadcastOrMulticast() {
        assertTrue(IcmpErrors.shouldSend(ip(Fixtures.UDP_HELLO), 0, 34));
        assertTrue(IcmpErrors.shouldSend(ip(Fixtures.ICMP_ECHO_REQUEST), 0, 84));
        assertFalse(IcmpErrors.shouldSend(ip(Fixtures.ICMP_PORT_UNREACHABLE), 0, 62), "ICMP error");
        assertFalse(IcmpErrors.shouldSend(ip(Fixtures.ICMP_TIME_EXCEEDED), 0, 112), "ICMP error");
        byte[] frag = ip(Fixtures.UDP_HELLO);
        new Ipv4Packet(frag, 0, frag.length).setFragOffsetBytes(1480);
        assertFalse(IcmpErrors.shouldSend(frag, 0, frag.length), "non-first fragment");
        byte[] first = ip(Fixtures.UDP_HELLO);
        new Ipv4Packet(first, 0, first.length).setMoreFrags(true);
        assertTrue(IcmpErrors.shouldSend(first, 0, first.length), "first fragment");
        byte[] bcast = ip(Fixtures.UDP_HELLO);
        new Ipv4Packet(bcast, 0, bcast.length).setDst(-1);
        assertFalse(IcmpErrors.shouldSend(bcast, 0, bcast.length), "limited broadcast");
        byte[] mcast = ip(Fixtures.UDP_HELLO);
        new Ipv4Packet(mcast, 0, mcast.length).setDst(Ipv4Address.parse("239.1.2.3").bits());
        assertFalse(IcmpErrors.shouldSend(mcast, 0, mcast.length), "multicast");
        byte[] zero = ip(Fixtures.UDP_HELLO);
        new Ipv4Packet(zero, 0, zero.length).setSrc(0);
        assertFalse(IcmpErrors.shouldSend(zero, 0, zero.length), "source 0.0.0.0");
        assertFalse(IcmpErrors.shouldSend(new byte[10], 0, 10), "not an IPv4 header");
    }
}
