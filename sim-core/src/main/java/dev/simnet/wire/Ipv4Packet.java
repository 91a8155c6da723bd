package dev.simnet.wire;

/**
 * Zero-copy view of an IPv4 header and its payload (RFC 791), with the header checksum and the
 * in-place rewrites the datapath and NAT need (TTL decrement, address rewrite) updating the
 * checksum incrementally (RFC 1624).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * |         Identification        |0|D|M|    Fragment Offset      |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options (IHL &gt; 5)                          |
 * </pre>
 *
 * <p>{@link #validate} accepts a buffer longer than Total Length (Ethernet padding); the payload is
 * bounded by Total Length.
 */
public final class Ipv4Packet extends View {
    /** Length of a header without options. */
    public static final int MIN_HEADER_LEN = 20;
    /** Longest header (IHL 15). */
    public static final int MAX_HEADER_LEN = 60;

    private static final int VER_IHL = 0;
    private static final int DSCP_ECN = 1;
    private static final int LENGTH = 2;
    private static final int IDENT = 4;
    private static final int FLG_OFF = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SRC = 12;
    private static final int DST = 16;
    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final String FORMAT = "IPv4";

    /** An unbound view; call {@link #wrap} before use. */
    public Ipv4Packet() {
    }

    /** A view over {@code len} bytes at {@code off} (unchecked). */
    public Ipv4Packet(byte[] buf, int off, int len) {
        wrap(buf, off, len);
    }

    /** Rebinds this view without checking content, and returns it. */
    public Ipv4Packet wrap(byte[] buf, int off, int len) {
        bind(buf, off, len);
        return this;
    }

    /** A new view validated with {@link #checkLen()} (lengths, version; not the checksum). */
    public static Ipv4Packet wrapChecked(byte[] buf, int off, int len) {
        return new Ipv4Packet(buf, off, len).checkLen();
    }

    /**
     * Structural check as the kernel's {@code ip_rcv_core} does before trusting the header:
     * 0, or {@code TRUNCATED} (shorter than the header or than Total Length), {@code BAD_VERSION},
     * {@code BAD_HEADER_LENGTH} (IHL &lt; 5), {@code BAD_LENGTH} (Total Length &lt; header length).
     * The checksum is not checked; see {@link #validate(byte[], int, int, boolean)}.
     */
    public static int validate(byte[] buf, int off, int len) {
        if (len < MIN_HEADER_LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        int vi = Bytes.u8(buf, off + VER_IHL);
        if ((vi >>> 4) != 4) {
            return MalformedPacketException.BAD_VERSION;
        }
        int hl = (vi & 0xf) * 4;
        if (hl < MIN_HEADER_LEN) {
            return MalformedPacketException.BAD_HEADER_LENGTH;
        }
        if (hl > len) {
            return MalformedPacketException.TRUNCATED;
        }
        int total = Bytes.u16(buf, off + LENGTH);
        if (total < hl) {
            return MalformedPacketException.BAD_LENGTH;
        }
        if (total > len) {
            return MalformedPacketException.TRUNCATED;
        }
        return MalformedPacketException.OK;
    }

    /** As {@link #validate(byte[], int, int)}, also returning {@code BAD_CHECKSUM} when asked to verify it. */
    public static int validate(byte[] buf, int off, int len, boolean verifyChecksum) {
        int r = validate(buf, off, len);
        if (r == 0 && verifyChecksum && !Checksum.verify(buf, off, (buf[off] & 0xf) * 4)) {
            return MalformedPacketException.BAD_CHECKSUM;
        }
        return r;
    }

    /**
     * Check for the header quoted inside an ICMP error: version and IHL must be right and the
     * header present, but Total Length may exceed the bytes quoted. 0 or a reason code.
     */
    public static int validateQuoted(byte[] buf, int off, int len) {
        if (len < MIN_HEADER_LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        int vi = Bytes.u8(buf, off + VER_IHL);
        if ((vi >>> 4) != 4) {
            return MalformedPacketException.BAD_VERSION;
        }
        int hl = (vi & 0xf) * 4;
        if (hl < MIN_HEADER_LEN) {
            return MalformedPacketException.BAD_HEADER_LENGTH;
        }
        return hl > len ? MalformedPacketException.TRUNCATED : MalformedPacketException.OK;
    }

    /** Validates the wrapped bytes (see {@link #validate(byte[], int, int)}); returns this or throws. */
    public Ipv4Packet checkLen() {
        int r = validate(buf, off, len);
        if (r != 0) {
            throw MalformedPacketException.ofCode(FORMAT, r, detail(r));
        }
        return this;
    }

    private String detail(int r) {
        if (len < MIN_HEADER_LEN) {
            return len + " bytes, header needs " + MIN_HEADER_LEN;
        }
        switch (r) {
            case MalformedPacketException.BAD_VERSION: return "version " + version();
            case MalformedPacketException.BAD_HEADER_LENGTH: return "IHL " + (headerLen() / 4);
            case MalformedPacketException.BAD_LENGTH: return "total length " + totalLen() + " < header length " + headerLen();
            case MalformedPacketException.BAD_CHECKSUM: return "checksum 0x" + Integer.toHexString(checksum());
            default: return "header length " + headerLen() + ", total length " + totalLen() + ", buffer " + len;
        }
    }

    /** Throws {@code BAD_CHECKSUM} unless the header checksum verifies. Call after {@link #checkLen()}. */
    public Ipv4Packet checkChecksum() {
        if (!verifyChecksum()) {
            throw MalformedPacketException.ofCode(FORMAT, MalformedPacketException.BAD_CHECKSUM, detail(MalformedPacketException.BAD_CHECKSUM));
        }
        return this;
    }

    /** Version field (4). */
    public int version() {
        return Bytes.u8(buf, off + VER_IHL) >>> 4;
    }

    /** Sets the version field. */
    public void setVersion(int v) {
        buf[off + VER_IHL] = (byte) ((v << 4) | (buf[off + VER_IHL] & 0x0f));
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLen() {
        return (buf[off + VER_IHL] & 0x0f) * 4;
    }

    /** Sets the header length in bytes (a multiple of 4, 20..60). */
    public void setHeaderLen(int bytes) {
        buf[off + VER_IHL] = (byte) ((buf[off + VER_IHL] & 0xf0) | ((bytes / 4) & 0x0f));
    }

    /** The whole second byte (DSCP and ECN, the old TOS). */
    public int tos() {
        return Bytes.u8(buf, off + DSCP_ECN);
    }

    /** Sets the whole second byte. */
    public void setTos(int tos) {
        Bytes.put8(buf, off + DSCP_ECN, tos);
    }

    /** Differentiated services code point (6 bits). */
    public int dscp() {
        return tos() >>> 2;
    }

    /** Sets the DSCP. */
    public void setDscp(int dscp) {
        setTos((dscp << 2) | ecn());
    }

    /** Explicit congestion notification (2 bits). */
    public int ecn() {
        return tos() & 3;
    }

    /** Sets the ECN bits. */
    public void setEcn(int ecn) {
        setTos((tos() & 0xfc) | (ecn & 3));
    }

    /** Total Length: header plus payload. */
    public int totalLen() {
        return Bytes.u16(buf, off + LENGTH);
    }

    /** Sets Total Length. */
    public void setTotalLen(int v) {
        Bytes.put16(buf, off + LENGTH, v);
    }

    /** Identification. */
    public int ident() {
        return Bytes.u16(buf, off + IDENT);
    }

    /** Sets Identification. */
    public void setIdent(int v) {
        Bytes.put16(buf, off + IDENT, v);
    }

    /** The Don't Fragment flag. */
    public boolean dontFrag() {
        return (Bytes.u16(buf, off + FLG_OFF) & FLAG_DF) != 0;
    }

    /** Sets or clears Don't Fragment. */
    public void setDontFrag(boolean df) {
        int w = Bytes.u16(buf, off + FLG_OFF);
        Bytes.put16(buf, off + FLG_OFF, df ? w | FLAG_DF : w & ~FLAG_DF);
    }

    /** Clears the three flag bits (reserved, DF, MF), keeping the fragment offset. */
    public void clearFlags() {
        Bytes.put16(buf, off + FLG_OFF, Bytes.u16(buf, off + FLG_OFF) & 0x1fff);
    }

    /** The More Fragments flag. */
    public boolean moreFrags() {
        return (Bytes.u16(buf, off + FLG_OFF) & FLAG_MF) != 0;
    }

    /** Sets or clears More Fragments. */
    public void setMoreFrags(boolean mf) {
        int w = Bytes.u16(buf, off + FLG_OFF);
        Bytes.put16(buf, off + FLG_OFF, mf ? w | FLAG_MF : w & ~FLAG_MF);
    }

    /** Fragment offset in bytes (the 13-bit field × 8). */
    public int fragOffsetBytes() {
        return (Bytes.u16(buf, off + FLG_OFF) & 0x1fff) * 8;
    }

    /** Sets the fragment offset in bytes (must be a multiple of 8). */
    public void setFragOffsetBytes(int bytes) {
        int w = Bytes.u16(buf, off + FLG_OFF);
        Bytes.put16(buf, off + FLG_OFF, (w & 0xe000) | ((bytes >>> 3) & 0x1fff));
    }

    /** True for any fragment: More Fragments set or a non-zero offset. */
    public boolean isFragment() {
        return (Bytes.u16(buf, off + FLG_OFF) & 0x3fff) != 0;
    }

    /** Time to live. */
    public int ttl() {
        return Bytes.u8(buf, off + TTL);
    }

    /** Sets TTL (checksum not updated; see {@link #decrementTtl()}). */
    public void setTtl(int v) {
        Bytes.put8(buf, off + TTL, v);
    }

    /** Protocol ({@link IpProtocol}). */
    public int protocol() {
        return Bytes.u8(buf, off + PROTOCOL);
    }

    /** Sets the protocol. */
    public void setProtocol(int v) {
        Bytes.put8(buf, off + PROTOCOL, v);
    }

    /** Header checksum field. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Sets the header checksum field. */
    public void setChecksum(int v) {
        Bytes.put16(buf, off + CHECKSUM, v);
    }

    /** Source address bits. */
    public int src() {
        return Bytes.i32(buf, off + SRC);
    }

    /** Sets the source address (checksum not updated; see {@link #rewriteSrc}). */
    public void setSrc(int ip) {
        Bytes.put32(buf, off + SRC, ip);
    }

    /** Destination address bits. */
    public int dst() {
        return Bytes.i32(buf, off + DST);
    }

    /** Sets the destination address (checksum not updated; see {@link #rewriteDst}). */
    public void setDst(int ip) {
        Bytes.put32(buf, off + DST, ip);
    }

    /** Absolute index of the options in {@link #buffer()}. */
    public int optionsOffset() {
        return off + MIN_HEADER_LEN;
    }

    /** Length of the options (header length − 20). */
    public int optionsLen() {
        return headerLen() - MIN_HEADER_LEN;
    }

    /** Absolute index of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLen();
    }

    /** Payload length: Total Length − header length. */
    public int payloadLen() {
        return totalLen() - headerLen();
    }

    /** Computes the header checksum over the header with the checksum field taken as zero. */
    public int computeChecksum() {
        int hl = headerLen();
        int s = Checksum.sum(buf, off, CHECKSUM);
        s = Checksum.sum(buf, off + CHECKSUM + 2, hl - CHECKSUM - 2, s);
        return Checksum.finish(s);
    }

    /** True when the header checksum verifies. */
    public boolean verifyChecksum() {
        return Checksum.verify(buf, off, headerLen());
    }

    /** Computes and stores the header checksum. */
    public void fillChecksum() {
        setChecksum(computeChecksum());
    }

    /**
     * Decrements TTL by one and updates the checksum incrementally (RFC 1624), as
     * {@code ip_decrease_ttl} does when forwarding; returns the new TTL. The caller checks
     * {@code ttl() <= 1} first and sends ICMP time exceeded instead.
     */
    public int decrementTtl() {
        int oldWord = Bytes.u16(buf, off + TTL);
        int ttl = (oldWord >>> 8) - 1;
        int newWord = (ttl << 8) | (oldWord & 0xff);
        Bytes.put16(buf, off + TTL, newWord);
        Checksum.update16(buf, off + CHECKSUM, oldWord, newWord);
        return ttl;
    }

    /** Sets the source address, updating the header checksum incrementally (SNAT); returns the old address. */
    public int rewriteSrc(int newSrc) {
        int old = src();
        setSrc(newSrc);
        Checksum.update32(buf, off + CHECKSUM, old, newSrc);
        return old;
    }

    /** Sets the destination address, updating the header checksum incrementally (DNAT); returns the old address. */
    public int rewriteDst(int newDst) {
        int old = dst();
        setDst(newDst);
        Checksum.update32(buf, off + CHECKSUM, old, newDst);
        return old;
    }

    /** The sum of this packet's pseudo-header for its protocol and payload length (for UDP/TCP checksums). */
    public int pseudoHeaderSum() {
        return Checksum.pseudoHeaderSum(src(), dst(), protocol(), payloadLen());
    }
}
