package dev.simnet.wire;

/**
 * Zero-copy view of a UDP datagram (RFC 768). The checksum covers the IPv4 pseudo-header; a zero
 * checksum field means "none" and a computed zero is sent as 0xffff.
 *
 * <pre>
 *  0               2               4               6               8
 * | source port   | dest port     | length        | checksum      | payload ...
 * </pre>
 */
public final class UdpPacket extends View {
    /** Header length. */
    public static final int HEADER_LEN = 8;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;
    private static final String FORMAT = "UDP";

    /** An unbound view; call {@link #wrap} before use. */
    public UdpPacket() {
    }

    /** A view over {@code len} bytes at {@code off} (unchecked). */
    public UdpPacket(byte[] buf, int off, int len) {
        wrap(buf, off, len);
    }

    /** Rebinds this view without checking content, and returns it. */
    public UdpPacket wrap(byte[] buf, int off, int len) {
        bind(buf, off, len);
        return this;
    }

    /** A new view validated with {@link #checkLen()}. */
    public static UdpPacket wrapChecked(byte[] buf, int off, int len) {
        return new UdpPacket(buf, off, len).checkLen();
    }

    /**
     * 0, or {@code TRUNCATED} (shorter than 8 bytes or than the length field), or
     * {@code BAD_LENGTH} (length field below 8). {@code len} is the IP payload length; bytes past
     * the UDP length field are ignored, as {@code __udp4_lib_rcv} trims them.
     */
    public static int validate(byte[] buf, int off, int len) {
        if (len < HEADER_LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        int ulen = Bytes.u16(buf, off + LENGTH);
        if (ulen < HEADER_LEN) {
            return MalformedPacketException.BAD_LENGTH;
        }
        return ulen > len ? MalformedPacketException.TRUNCATED : MalformedPacketException.OK;
    }

    /** As {@link #validate(byte[], int, int)}, also checking a non-zero checksum against the pseudo-header. */
    public static int validate(byte[] buf, int off, int len, int srcAddr, int dstAddr) {
        int r = validate(buf, off, len);
        if (r == 0 && Bytes.u16(buf, off + CHECKSUM) != 0) {
            int ulen = Bytes.u16(buf, off + LENGTH);
            if (Checksum.sum(buf, off, ulen, Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.UDP, ulen)) != 0xffff) {
                return MalformedPacketException.BAD_CHECKSUM;
            }
        }
        return r;
    }

    /** Validates the wrapped bytes; returns this view or throws {@link MalformedPacketException}. */
    public UdpPacket checkLen() {
        int r = validate(buf, off, len);
        if (r != 0) {
            throw MalformedPacketException.ofCode(FORMAT, r, len < HEADER_LEN ? len + " bytes, header needs " + HEADER_LEN
                    : "length field " + length16() + ", " + len + " bytes present");
        }
        return this;
    }

    /** Throws {@code BAD_CHECKSUM} unless the checksum is zero (none) or verifies for these addresses. */
    public UdpPacket checkChecksum(int srcAddr, int dstAddr) {
        if (!verifyChecksum(srcAddr, dstAddr)) {
            throw MalformedPacketException.ofCode(FORMAT, MalformedPacketException.BAD_CHECKSUM,
                    "checksum 0x" + Integer.toHexString(checksum()) + ", expected 0x" + Integer.toHexString(computeChecksum(srcAddr, dstAddr)));
        }
        return this;
    }

    /** Source port. */
    public int srcPort() {
        return Bytes.u16(buf, off + SRC_PORT);
    }

    /** Sets the source port (checksum not updated; see {@link #rewriteSrcPort}). */
    public void setSrcPort(int v) {
        Bytes.put16(buf, off + SRC_PORT, v);
    }

    /** Destination port. */
    public int dstPort() {
        return Bytes.u16(buf, off + DST_PORT);
    }

    /** Sets the destination port (checksum not updated; see {@link #rewriteDstPort}). */
    public void setDstPort(int v) {
        Bytes.put16(buf, off + DST_PORT, v);
    }

    /** The length field: header plus payload. */
    public int length16() {
        return Bytes.u16(buf, off + LENGTH);
    }

    /** Sets the length field. */
    public void setLength16(int v) {
        Bytes.put16(buf, off + LENGTH, v);
    }

    /** Checksum field (0 = none). */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Sets the checksum field. */
    public void setChecksum(int v) {
        Bytes.put16(buf, off + CHECKSUM, v);
    }

    /** Absolute index of the payload. */
    public int payloadOffset() {
        return off + HEADER_LEN;
    }

    /** Payload length according to the length field. */
    public int payloadLen() {
        return length16() - HEADER_LEN;
    }

    /** The checksum value for these pseudo-header addresses, over the length-field bytes (0 mapped to 0xffff). */
    public int computeChecksum(int srcAddr, int dstAddr) {
        int ulen = length16();
        int s = Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.UDP, ulen);
        s = Checksum.sum(buf, off, CHECKSUM, s);
        s = Checksum.sum(buf, off + CHECKSUM + 2, ulen - CHECKSUM - 2, s);
        int c = Checksum.finish(s);
        return c == 0 ? 0xffff : c;
    }

    /** True when the checksum is zero (none) or verifies. */
    public boolean verifyChecksum(int srcAddr, int dstAddr) {
        if (checksum() == 0) {
            return true;
        }
        int ulen = length16();
        return Checksum.sum(buf, off, ulen, Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.UDP, ulen)) == 0xffff;
    }

    /** Computes and stores the checksum. */
    public void fillChecksum(int srcAddr, int dstAddr) {
        setChecksum(computeChecksum(srcAddr, dstAddr));
    }

    /**
     * Updates the checksum for a pseudo-header address that NAT changed (the IP header is
     * rewritten separately). A zero checksum (none) stays zero; a result of zero is stored as 0xffff.
     */
    public void updateChecksumForAddress(int oldAddr, int newAddr) {
        int c = checksum();
        if (c != 0) {
            c = Checksum.update32(c, oldAddr, newAddr);
            setChecksum(c == 0 ? 0xffff : c);
        }
    }

    /** Sets the source port and updates a non-zero checksum incrementally; returns the old port. */
    public int rewriteSrcPort(int port) {
        int old = srcPort();
        setSrcPort(port);
        updateWord(old, port);
        return old;
    }

    /** Sets the destination port and updates a non-zero checksum incrementally; returns the old port. */
    public int rewriteDstPort(int port) {
        int old = dstPort();
        setDstPort(port);
        updateWord(old, port);
        return old;
    }

    private void updateWord(int oldWord, int newWord) {
        int c = checksum();
        if (c != 0) {
            c = Checksum.update16(c, oldWord, newWord);
            setChecksum(c == 0 ? 0xffff : c);
        }
    }
}
