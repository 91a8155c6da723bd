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

import dev.simnet.addr.MacAddress;
import org.junit.jupiter.api.Test;

class EthernetFrameTest {
    private static final byte[] FRAME = Fixtures.ARP_REQUEST;
    private static final EthernetRepr REPR = new EthernetRepr(MacAddress.BROADCAST, MacAddress.parse("02:42:ac:12:00:02"), EtherType.ARP);

    /**
     * The captured echo request with an 802.1Q tag (VID 10, PCP 5) inserted after the source
     * address, as a tagged frame is laid out on the wire (this machine's kernel has no 8021q
     * module, so the tag could not be captured).
     */
    private static final byte[] TAGGED = tag(Fixtures.ICMP_ECHO_REQUEST, 0xa00a);

    private static byte[] tag(byte[] untagged, int tci) {
        byte[] t = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, t, 0, 12);
        t[12] = (byte) 0x81;
        t[13] = 0x00;
        t[14] = (byte) (tci >>> 8);
        t[15] = (byte) tci;
        System.arraycopy(untagged, 12, t, 16, untagged.length - 12);
        return t;
    }

    @Test
    void deconstruct() {
        EthernetFrame f = EthernetFrame.wrapChecked(FRAME, 0, FRAME.length);
        assertEquals(0xffff_ffff_ffffL, f.dst());
        assertEquals(0x0242_ac12_0002L, f.src());
        assertEquals(EtherType.ARP, f.etherType());
        assertEquals(EtherType.ARP, f.payloadEtherType());
        assertFalse(f.hasVlanTag());
        assertEquals(14, f.headerLen());
        assertEquals(14, f.payloadOffset());
        assertEquals(28, f.payloadLen());
    }

    @Test
    void construct() {
        byte[] b = a5(14);
        EthernetFrame f = new EthernetFrame(b, 0, b.length);
        f.setDst(MacAddress.BROADCAST.bits());
        f.setSrc(0x0242_ac12_0002L);
        f.setEtherType(EtherType.ARP);
        assertArrayEquals(slice(FRAME, 0, 14), b);
    }

    @Test
    void parse() {
        assertEquals(REPR, EthernetRepr.parse(new EthernetFrame(FRAME, 0, FRAME.length)));
    }

    @Test
    void emit() {
        byte[] b = a5(REPR.bufferLen());
        REPR.emit(new EthernetFrame(b, 0, b.length));
        assertArrayEquals(slice(FRAME, 0, 14), b);
    }

    @Test
    void viewWorksAtAnOffsetAndIsReusable() {
        byte[] shifted = new byte[FRAME.length + 7];
        System.arraycopy(FRAME, 0, shifted, 7, FRAME.length);
        EthernetFrame f = new EthernetFrame();
        assertEquals(0, EthernetFrame.validate(shifted, 7, FRAME.length));
        assertEquals(0x0242_ac12_0002L, f.wrap(shifted, 7, FRAME.length).src());
        assertEquals(21, f.payloadOffset());
        assertEquals(EtherType.IPV4, f.wrap(Fixtures.TCP_SYN, 0, Fixtures.TCP_SYN.length).etherType());
    }

    @Test
    void wrapsAPacketBuffersFrame() {
        dev.simnet.packet.PacketBuffer pb = dev.simnet.packet.PacketBuffer.copyOf(FRAME, 0, FRAME.length);
        EthernetFrame f = new EthernetFrame().wrap(pb);
        assertEquals(pb.start(), f.offset());
        assertEquals(FRAME.length, f.length());
        assertEquals(EtherType.ARP, f.checkLen().etherType());
    }

    @Test
    void vlanTagIsParsed() {
        EthernetFrame f = EthernetFrame.wrapChecked(TAGGED, 0, TAGGED.length);
        assertTrue(f.hasVlanTag());
        assertEquals(EtherType.VLAN, f.etherType());
        assertEquals(10, f.vlanId());
        assertEquals(5, f.vlanPcp());
        assertFalse(f.vlanDei());
        assertEquals(EtherType.IPV4, f.innerEtherType());
        assertEquals(EtherType.IPV4, f.payloadEtherType());
        assertEquals(18, f.headerLen());
        assertEquals(Fixtures.ICMP_ECHO_REQUEST.length - 14, f.payloadLen());
        assertEquals(4, new Ipv4Packet(TAGGED, f.payloadOffset(), f.payloadLen()).checkLen().version());
    }

    @Test
    void vlanReprRoundTrips() {
        EthernetRepr r = EthernetRepr.parse(new EthernetFrame(TAGGED, 0, TAGGED.length));
        assertEquals(new EthernetRepr(MacAddress.parse("02:42:ac:12:00:01"), MacAddress.parse("02:42:ac:12:00:02"), EtherType.IPV4, 0xa00a), r);
        assertEquals(10, r.vlanId());
        assertEquals(18, r.bufferLen());
        byte[] b = a5(18);
        r.emit(b, 0);
        assertArrayEquals(slice(TAGGED, 0, 18), b);
    }

    @Test
    void doubleTaggedFrameIsParsedByTheViewButUnsupportedByTheRepr() {
        byte[] qinq = tag(TAGGED, 0x0064);
        qinq[12] = (byte) 0x88;
        qinq[13] = (byte) 0xa8;
        EthernetFrame f = EthernetFrame.wrapChecked(qinq, 0, qinq.length);
        assertEquals(22, f.headerLen());
        assertEquals(100, f.vlanId());
        assertEquals(EtherType.IPV4, f.payloadEtherType());
        assertMalformed("Ethernet", MalformedPacketException.Reason.UNSUPPORTED, () -> EthernetRepr.parse(f));
    }

    @Test
    void truncatedAtEveryLengthIsRejected() {
        assertEveryTruncationRejected(slice(FRAME, 0, 14), "Ethernet", EthernetFrame::validate,
                b -> EthernetFrame.wrapChecked(b, 0, b.length));
        assertEveryTruncationRejected(slice(TAGGED, 0, 18), "Ethernet", EthernetFrame::validate,
                b -> EthernetFrame.wrapChecked(b, 0, b.length));
    }

    @Test
    void wrapOutsideTheArrayIsAnArgumentError() {
        assertThrows(IllegalArgumentException.class, () -> new EthernetFrame(FRAME, 30, 20));
        assertThrows(IllegalArgumentException.class, () -> new EthernetFrame(FRAME, -1, 10));
    }

    @Test
    void emitIntoTooSmallBufferIsAnArgumentError() {
        assertThrows(IllegalArgumentException.class, () -> REPR.emit(new byte[13], 0));
    }
}
