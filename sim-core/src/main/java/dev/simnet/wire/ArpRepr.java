package dev.simnet.wire;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;

/**
 * An Ethernet/IPv4 ARP packet as a value (RFC 826). Gratuitous ARP is a request whose
 * {@code spa == tpa}.
 *
 * @param op {@link ArpPacket#OP_REQUEST} or {@link ArpPacket#OP_REPLY} (other values are kept as is)
 * @param sha sender hardware address
 * @param spa sender protocol address
 * @param tha target hardware address (00:00:00:00:00:00 in a Linux request)
 * @param tpa target protocol address
 */
public record ArpRepr(int op, MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
    /** Validates the components. */
    public ArpRepr {
        if (sha == null || spa == null || tha == null || tpa == null) {
            throw new IllegalArgumentException("ARP addresses must not be null");
        }
        if (op < 0 || op > 0xffff) {
            throw new IllegalArgumentException("ARP operation out of range: " + op);
        }
    }

    /** A request "who-has {@code tpa} tell {@code spa}" as Linux sends it (target hardware address zero). */
    public static ArpRepr request(MacAddress sha, Ipv4Address spa, Ipv4Address tpa) {
        return new ArpRepr(ArpPacket.OP_REQUEST, sha, spa, MacAddress.ZERO, tpa);
    }

    /** A reply "{@code spa} is-at {@code sha}" to a requester. */
    public static ArpRepr reply(MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        return new ArpRepr(ArpPacket.OP_REPLY, sha, spa, tha, tpa);
    }

    /** Parses a packet (checking it); throws {@link MalformedPacketException}. */
    public static ArpRepr parse(ArpPacket p) {
        p.checkLen();
        return new ArpRepr(p.op(), MacAddress.of(p.sha()), Ipv4Address.of(p.spa()), MacAddress.of(p.tha()), Ipv4Address.of(p.tpa()));
    }

    /** Always {@link ArpPacket#LEN}. */
    public int bufferLen() {
        return ArpPacket.LEN;
    }

    /** Writes the packet into the view. */
    public void emit(ArpPacket p) {
        Bytes.checkEmitRoom("ARP", p.length(), ArpPacket.LEN);
        p.setHtype(ArpPacket.HTYPE_ETHERNET);
        p.setPtype(EtherType.IPV4);
        p.setHlen(6);
        p.setPlen(4);
        p.setOp(op);
        p.setSha(sha.bits());
        p.setSpa(spa.bits());
        p.setTha(tha.bits());
        p.setTpa(tpa.bits());
    }

    /** Writes the packet at {@code off}. */
    public void emit(byte[] buf, int off) {
        emit(new ArpPacket(buf, off, Math.min(ArpPacket.LEN, Math.max(0, buf.length - off))));
    }
}
