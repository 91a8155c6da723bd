package dev.simnet.netfilter.nat;

import dev.simnet.wire.Bytes;
import dev.simnet.wire.Checksum;

import dev.simnet.netfilter.conntrack.IcmpTypes;
import dev.simnet.netfilter.conntrack.Tuple;

/**
 * Rewrites a packet in place for one NAT manipulation (nf_nat_proto.c): the source or destination
 * address, the TCP/UDP port or ICMP query id, with incremental checksum updates of the IP header
 * and of TCP/UDP including the pseudo-header. A UDP checksum of zero (none) stays zero; one that
 * would become zero is written 0xFFFF. Headers quoted in ICMP errors get the same treatment (their
 * L4 checksum only when the quoted header is complete), and the ICMP checksum is recomputed.
 * A packet whose TCP/UDP checksum is partial (a TAP's offloaded frame, {@code CHECKSUM_PARTIAL}: the
 * field holds only the folded pseudo-header sum, the rest is summed when the packet is finished) gets
 * {@code inet_proto_csum_replace4/2}'s treatment: the address change is applied to that sum, the port
 * change not at all.
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
        manip(b, ipOff, end, manip, addr, port, false);
    }

    /**
     * As {@link #manip(byte[], int, int, int, int, int)}; with {@code partialL4} the TCP/UDP checksum
     * field holds a partial checksum ({@link dev.simnet.packet.PacketBuffer#OFFLOAD_NEEDS_CSUM}).
     */
    public static void manip(byte[] b, int ipOff, int end, int manip, int addr, int port, boolean partialL4) {
        int ihl = (b[ipOff] & 0xf) * 4;
        int proto = b[ipOff + 9] & 0xff;
        int hdroff = ipOff + ihl;
        int frag = ((b[ipOff + 6] & 0x1f) << 8) | (b[ipOff + 7] & 0xff);
        int addrOff = ipOff + (manip == SRC ? 12 : 16);
        int oldAddr = Bytes.i32(b, addrOff);
        if (frag == 0) {
            int avail = end - hdroff;
            switch (proto) {
                case Tuple.TCP: {
                    if (avail < 8) {
                        break;
                    }
                    int portOff = hdroff + (manip == SRC ? 0 : 2);
                    int oldPort = Bytes.u16(b, portOff);
                    Bytes.put16(b, portOff, port);
                    if (avail >= 20) {
                        int c = hdroff + 16;
                        if (partialL4) {
                            updatePartial32(b, c, oldAddr, addr);
                        } else {
                            Checksum.update32(b, c, oldAddr, addr);
                            Checksum.update16(b, c, oldPort, port);
                        }
                    }
                    break;
                }
                case Tuple.UDP: {
                    if (avail < 8) {
                        break;
                    }
                    int portOff = hdroff + (manip == SRC ? 0 : 2);
                    int oldPort = Bytes.u16(b, portOff);
                    Bytes.put16(b, portOff, port);
                    int c = hdroff + 6;
                    if (partialL4) {
                        updatePartial32(b, c, oldAddr, addr);
                    } else if (b[c] != 0 || b[c + 1] != 0) {
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
                        int oldId = Bytes.u16(b, hdroff + 4);
                        Bytes.put16(b, hdroff + 4, port);
                        Checksum.update16(b, hdroff + 2, oldId, port);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        Checksum.update32(b, ipOff + 10, oldAddr, addr);
        Bytes.put32(b, addrOff, addr);
    }

    /**
     * A partial checksum field holds the pseudo-header sum itself, not its complement: the incremental
     * update of an address in it is the ordinary one on the complemented value.
     */
    private static void updatePartial32(byte[] b, int c, int oldAddr, int newAddr) {
        int partial = Bytes.u16(b, c);
        Bytes.put16(b, c, ~Checksum.update32(~partial & 0xffff, oldAddr, newAddr) & 0xffff);
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
        Bytes.put16(b, icmpOff + 2, c);
        // outer: target = invert(other); SRC manip sets source to other.dst, DST manip sets destination to other.src
        int outerAddr = manip == SRC ? oDst : oSrc;
        manip(b, ipOff, end, manip, outerAddr, 0);
    }
}
