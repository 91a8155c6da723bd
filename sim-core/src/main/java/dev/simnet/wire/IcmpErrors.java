package dev.simnet.wire;

/**
 * Builds ICMP error messages about an offending IPv4 packet the way Linux's {@code __icmp_send}
 * ({@code net/ipv4/icmp.c}) does: the error's IP header has TOS {@code (tos & 0x1e) | 0xc0},
 * TTL 64, DF clear, protocol ICMP, destination the offender's source; the data quotes the
 * offending packet from its IP header on, as much as fits in {@code min(route MTU, 576)} bytes in
 * total. {@link #shouldSend} holds the kernel's rules for when no error may be sent. Allocates nothing.
 */
public final class IcmpErrors {
    /** Longest ICMP error datagram Linux sends (RFC 1812 4.3.2.3). */
    public static final int MAX_ERROR_LEN = 576;
    /** TTL of locally generated packets ({@code net.ipv4.ip_default_ttl}). */
    public static final int DEFAULT_TTL = 64;
    /** {@code IPTOS_PREC_INTERNETCONTROL}, or'ed into the error's TOS. */
    public static final int TOS_PREC_INTERNETCONTROL = 0xc0;
    /** {@code IPTOS_TOS_MASK}: the bits of the offender's TOS that are kept. */
    public static final int TOS_MASK = 0x1e;

    private IcmpErrors() {
    }

    /**
     * False where Linux sends no ICMP error about this (structurally valid) packet: a non-first
     * fragment, a destination that is limited broadcast or multicast, a source that is 0.0.0.0,
     * broadcast or multicast, or an ICMP error (or unknown ICMP type above 18) itself. A frame that
     * arrived as a link-layer broadcast/multicast, or a subnet broadcast destination, is also
     * excluded by Linux; the caller knows those and checks them.
     */
    public static boolean shouldSend(byte[] buf, int off, int len) {
        if (Ipv4Packet.validateQuoted(buf, off, len) != 0) {
            return false;
        }
        int fo = Bytes.u16(buf, off + 6) & 0x1fff;
        if (fo != 0) {
            return false;
        }
        int dst = Bytes.i32(buf, off + 16);
        int src = Bytes.i32(buf, off + 12);
        if (dst == -1 || (dst >>> 28) == 0xe || src == 0 || src == -1 || (src >>> 28) == 0xe) {
            return false;
        }
        if (Bytes.u8(buf, off + 9) == IpProtocol.ICMP) {
            int hl = (buf[off] & 0xf) * 4;
            if (len <= hl) {
                return false;
            }
            int type = Bytes.u8(buf, off + hl);
            return type <= 18 && !IcmpPacket.isErrorType(type);
        }
        return true;
    }

    /** How many bytes of an offending packet of {@code origLen} bytes an error quotes, for this route MTU. */
    public static int quotedLen(int origLen, int routeMtu) {
        int room = Math.min(routeMtu, MAX_ERROR_LEN) - Ipv4Packet.MIN_HEADER_LEN - IcmpPacket.HEADER_LEN;
        return Math.max(0, Math.min(origLen, room));
    }

    /**
     * Writes a complete IPv4 datagram carrying an ICMP error about the packet at
     * {@code orig[origOff, origOff + origLen)} into {@code out} at {@code outOff}; returns its length.
     * The quoted part is the offender's first {@code min(Total Length, origLen)} bytes, cut to fit
     * {@code min(routeMtu, 576)}. The offender must pass {@link Ipv4Packet#validateQuoted}.
     *
     * @param type {@link IcmpPacket#TYPE_DEST_UNREACHABLE}, {@link IcmpPacket#TYPE_TIME_EXCEEDED}, …
     * @param code the code
     * @param restOfHeader the 32-bit rest of header (the next-hop MTU for fragmentation needed, else 0)
     * @param srcAddr the error's source: the address of the interface the offender came in on, as Linux picks it
     * @param ident IP identification of the error datagram
     * @param routeMtu MTU of the route back to the offender's source (576 or more means "576 total")
     */
    public static int emit(byte[] out, int outOff, byte[] orig, int origOff, int origLen,
                           int type, int code, int restOfHeader, int srcAddr, int ident, int routeMtu) {
        int v = Ipv4Packet.validateQuoted(orig, origOff, origLen);
        if (v != 0) {
            throw MalformedPacketException.ofCode("IPv4", v, "cannot quote the offending packet");
        }
        int origTotal = Math.min(Bytes.u16(orig, origOff + 2), origLen);
        int q = quotedLen(origTotal, routeMtu);
        int icmpLen = IcmpPacket.HEADER_LEN + q;
        int total = Ipv4Packet.MIN_HEADER_LEN + icmpLen;
        Bytes.checkEmitRoom("ICMP error", out.length - outOff, total);
        int o = outOff;
        out[o] = 0x45;
        Bytes.put8(out, o + 1, (Bytes.u8(orig, origOff + 1) & TOS_MASK) | TOS_PREC_INTERNETCONTROL);
        Bytes.put16(out, o + 2, total);
        Bytes.put16(out, o + 4, ident);
        Bytes.put16(out, o + 6, 0);
        Bytes.put8(out, o + 8, DEFAULT_TTL);
        Bytes.put8(out, o + 9, IpProtocol.ICMP);
        Bytes.put16(out, o + 10, 0);
        Bytes.put32(out, o + 12, srcAddr);
        Bytes.put32(out, o + 16, Bytes.i32(orig, origOff + 12));
        Bytes.put16(out, o + 10, Checksum.compute(out, o, Ipv4Packet.MIN_HEADER_LEN));
        int ic = o + Ipv4Packet.MIN_HEADER_LEN;
        // the quoted bytes first: out and orig may be the same array only if the regions do not overlap
        System.arraycopy(orig, origOff, out, ic + IcmpPacket.HEADER_LEN, q);
        Bytes.put8(out, ic, type);
        Bytes.put8(out, ic + 1, code);
        Bytes.put16(out, ic + 2, 0);
        Bytes.put32(out, ic + 4, restOfHeader);
        Bytes.put16(out, ic + 2, Checksum.compute(out, ic, icmpLen));
        return total;
    }
}
