package dev.simnet.netfilter.nat;

import dev.simnet.wire.Checksum;

import dev.simnet.netfilter.conntrack.IcmpTypes;
import dev.simnet.netfilter.conntrack.PacketHeaders;
import dev.simnet.netfilter.conntrack.Tuple;

/**
 * Rewrites a packet in place for one NAT manipulation (nf_nat_proto.c): the source or destination
 * address, the TCP/UDP port or ICMP query id, with incremental checksum updates of the IP header
 * and of TCP/UDP including the pseudo-header. A UDP checksum of zero (none) stays zero; one that
 * would become zero is written 0xFFFF. Headers quoted in ICMP errors get the same treatment (their
 * L4 checksum only when the quoted header is complete), and the ICMP checksum is recomputed.
 */
public final class NatRewriter {
    /** Manipulation type: rewrite the source. */
    public static final int SRC = 0;
    /** Manipulation type: rewrite the destination. */
    public static final int DST = 1;

    private NatRewriter() {
    }

    /**
     * Manipulates the IPv4 packet at {@code ipOff} (ending at {@code end}) so that its source (for
     * {@link #SRC}) or destination becomes {@code addr} and its port/id becomes {@code port}.
     * Allocation-free.
     */
    public static void manip(byte[] b, int ipOff, int end, int manip, int addr, int port) {
        int ihl = (b[ipOff] & 0xf) * 4;
        int proto = b[ipOff + 9] & 0xff;
        int hdroff = ipOff + ihl;
        int frag = ((b[ipOff + 6] & 0x1f) << 8) | (b[ipOff + 7] & 0xff);
        int addrOff = ipOff + (manip == SRC ? 12 : 16);
        int oldAddr = PacketHeaders.rd32(b, addrOff);
        if (frag == 0) {
            int avail = end - hdroff;
            switch (proto) {
                case Tuple.TCP: {
                    if (avail < 8) {
                        break;
                    }
                    int portOff = hdroff + (manip == SRC ? 0 : 2);
                    int oldPort = PacketHeaders.rd16(b, portOff);
                    PacketHeaders.put16(b, portOff, port);
                    if (avail >= 20) {
                        int c = hdroff + 16;
                        Checksum.update32(b, c, oldAddr, addr);
                        Checksum.update16(b, c, oldPort, port);
                    }
                    break;
                }
                case Tuple.UDP: {
                    if (avail < 8) {
                        break;
                    }
                    int portOff = hdroff + (manip == SRC ? 0 : 2);
                    int oldPort = PacketHeaders.rd16(b, portOff);
                    PacketHeaders.put16(b, portOff, port);
                    int c = hdroff + 6;
                    if (b[c] != 0 || b[c + 1] != 0) {
                        Checksum.update32(b, c, oldAddr, addr);
                        Checksum.update16(b, c, oldPort, port);
                        if (b[c] == 0 && b[c + 1] == 0) {
                            b[c] = (byte) 0xff;
                            b[c + 1] = (byte) 0xff;
                        }
                    }
                    break;
                }
                case Tuple.ICMP: {
                    if (avail < 8) {
                        break;
                    }
                    int type = b[hdroff] & 0xff;
                    if (IcmpTypes.hasId(type)) {
                        int oldId = PacketHeaders.rd16(b, hdroff + 4);
                        PacketHeaders.put16(b, hdroff + 4, port);
                        Checksum.update16(b, hdroff + 2, oldId, port);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        Checksum.update32(b, ipOff + 10, oldAddr, addr);
        b[addrOff] = (byte) (addr >>> 24);
        b[addrOff + 1] = (byte) (addr >>> 16);
        b[addrOff + 2] = (byte) (addr >>> 8);
        b[addrOff + 3] = (byte) addr;
    }

    /**
     * Translates an ICMP error (nf_nat_icmp_reply_translation): the quoted header is manipulated
     * with the opposite manip type towards tuple {@code other} (the conntrack tuple of the other
     * direction), the ICMP checksum recomputed, then the outer header manipulated to the inverse of
     * {@code other}.
     */
    public static void icmpError(byte[] b, int ipOff, int end, int manip,
                                 int oSrc, int oDst, int oSport, int oDport) {
        int ihl = (b[ipOff] & 0xf) * 4;
        int icmpOff = ipOff + ihl;
        int inner = icmpOff + 8;
        int innerManip = manip == SRC ? DST : SRC;
        int innerProto = b[inner + 9] & 0xff;
        int innerPort = innerManip == SRC || innerProto == Tuple.ICMP ? oSport : oDport;
        manip(b, inner, end, innerManip, innerManip == SRC ? oSrc : oDst, innerPort);
        b[icmpOff + 2] = 0;
        b[icmpOff + 3] = 0;
        int c = Checksum.compute(b, icmpOff, end - icmpOff);
        PacketHeaders.put16(b, icmpOff + 2, c);
        // outer: target = invert(other); SRC manip sets source to other.dst, DST manip sets destination to other.src
        int outerAddr = manip == SRC ? oDst : oSrc;
        manip(b, ipOff, end, manip, outerAddr, 0);
    }
}
