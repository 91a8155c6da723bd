package dev.simnet.wire;

/**
 * Zero-copy view of a TCP segment (RFC 9293), with the pseudo-header checksum and zero-allocation
 * option lookup. Sequence and acknowledgement numbers are unsigned 32-bit values carried in an
 * int; compare them with {@code (a - b) < 0}, never with {@code <}.
 *
 * <pre>
 *  0                   1                   2                   3
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * | Offset|  Rsvd |C|E|U|A|P|R|S|F|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options (offset &gt; 5)                       |
 * </pre>
 */
public final class TcpPacket extends View {
    /** Header length without options. */
    public static final int MIN_HEADER_LEN = 20;
    /** Longest header (data offset 15). */
    public static final int MAX_HEADER_LEN = 60;

    /** FIN flag bit. */
    public static final int FIN = 0x01;
    /** SYN flag bit. */
    public static final int SYN = 0x02;
    /** RST flag bit. */
    public static final int RST = 0x04;
    /** PSH flag bit. */
    public static final int PSH = 0x08;
    /** ACK flag bit. */
    public static final int ACK = 0x10;
    /** URG flag bit. */
    public static final int URG = 0x20;
    /** ECE flag bit (RFC 3168). */
    public static final int ECE = 0x40;
    /** CWR flag bit (RFC 3168). */
    public static final int CWR = 0x80;

    /** Option kind: end of option list. */
    public static final int OPT_EOL = 0;
    /** Option kind: no-operation. */
    public static final int OPT_NOP = 1;
    /** Option kind: maximum segment size. */
    public static final int OPT_MSS = 2;
    /** Option kind: window scale (RFC 7323). */
    public static final int OPT_WSCALE = 3;
    /** Option kind: SACK permitted (RFC 2018). */
    public static final int OPT_SACK_PERMITTED = 4;
    /** Option kind: SACK blocks (RFC 2018). */
    public static final int OPT_SACK = 5;
    /** Option kind: timestamps (RFC 7323). */
    public static final int OPT_TIMESTAMPS = 8;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int SEQ = 4;
    private static final int ACK_NUM = 8;
    private static final int OFF_FLAGS = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT = 18;
    private static final String FORMAT = "TCP";

    /** An unbound view; call {@link #wrap} before use. */
    public TcpPacket() {
    }

    /** A view over {@code len} bytes at {@code off} (unchecked). The whole region is the segment. */
    public TcpPacket(byte[] buf, int off, int len) {
        wrap(buf, off, len);
    }

    /** Rebinds this view without checking content, and returns it. The whole region is the segment. */
    public TcpPacket wrap(byte[] buf, int off, int len) {
        bind(buf, off, len);
        return this;
    }

    /** A new view validated with {@link #checkLen()}. */
    public static TcpPacket wrapChecked(byte[] buf, int off, int len) {
        return new TcpPacket(buf, off, len).checkLen();
    }

    /**
     * 0, or {@code TRUNCATED} (shorter than 20 bytes or than the data offset), or
     * {@code BAD_HEADER_LENGTH} (data offset below 5), as {@code tcp_v4_rcv} checks.
     */
    public static int validate(byte[] buf, int off, int len) {
        if (len < MIN_HEADER_LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        int hl = ((buf[off + OFF_FLAGS] >>> 4) & 0xf) * 4;
        if (hl < MIN_HEADER_LEN) {
            return MalformedPacketException.BAD_HEADER_LENGTH;
        }
        return hl > len ? MalformedPacketException.TRUNCATED : MalformedPacketException.OK;
    }

    /** As {@link #validate(byte[], int, int)}, also checking the checksum against the pseudo-header. */
    public static int validate(byte[] buf, int off, int len, int srcAddr, int dstAddr) {
        int r = validate(buf, off, len);
        if (r == 0 && Checksum.sum(buf, off, len, Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.TCP, len)) != 0xffff) {
            return MalformedPacketException.BAD_CHECKSUM;
        }
        return r;
    }

    /** Validates the wrapped bytes; returns this view or throws {@link MalformedPacketException}. */
    public TcpPacket checkLen() {
        int r = validate(buf, off, len);
        if (r != 0) {
            throw MalformedPacketException.ofCode(FORMAT, r, len < MIN_HEADER_LEN ? len + " bytes, header needs " + MIN_HEADER_LEN
                    : "data offset " + (headerLen() / 4) + ", " + len + " bytes present");
        }
        return this;
    }

    /** Throws {@code BAD_CHECKSUM} unless the checksum verifies for these addresses. */
    public TcpPacket checkChecksum(int srcAddr, int dstAddr) {
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

    /** Sequence number (unsigned 32 bits in an int). */
    public int seq() {
        return Bytes.i32(buf, off + SEQ);
    }

    /** Sets the sequence number. */
    public void setSeq(int v) {
        Bytes.put32(buf, off + SEQ, v);
    }

    /** Acknowledgement number (unsigned 32 bits in an int). */
    public int ack() {
        return Bytes.i32(buf, off + ACK_NUM);
    }

    /** Sets the acknowledgement number. */
    public void setAck(int v) {
        Bytes.put32(buf, off + ACK_NUM, v);
    }

    /** Header length in bytes (data offset × 4). */
    public int headerLen() {
        return ((buf[off + OFF_FLAGS] >>> 4) & 0xf) * 4;
    }

    /** Sets the header length in bytes (a multiple of 4, 20..60); clears the reserved bits. */
    public void setHeaderLen(int bytes) {
        buf[off + OFF_FLAGS] = (byte) (((bytes / 4) & 0xf) << 4);
    }

    /** The eight flag bits ({@link #FIN} … {@link #CWR}). */
    public int flags() {
        return Bytes.u8(buf, off + FLAGS);
    }

    /** Sets the eight flag bits. */
    public void setFlags(int flags) {
        Bytes.put8(buf, off + FLAGS, flags);
    }

    /** True when every bit of {@code mask} is set. */
    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    /** FIN set. */
    public boolean fin() {
        return (flags() & FIN) != 0;
    }

    /** SYN set. */
    public boolean syn() {
        return (flags() & SYN) != 0;
    }

    /** RST set. */
    public boolean rst() {
        return (flags() & RST) != 0;
    }

    /** PSH set. */
    public boolean psh() {
        return (flags() & PSH) != 0;
    }

    /** ACK set. */
    public boolean ackFlag() {
        return (flags() & ACK) != 0;
    }

    /** URG set. */
    public boolean urg() {
        return (flags() & URG) != 0;
    }

    /** ECE set. */
    public boolean ece() {
        return (flags() & ECE) != 0;
    }

    /** CWR set. */
    public boolean cwr() {
        return (flags() & CWR) != 0;
    }

    /** Window (unscaled field value). */
    public int window() {
        return Bytes.u16(buf, off + WINDOW);
    }

    /** Sets the window field. */
    public void setWindow(int v) {
        Bytes.put16(buf, off + WINDOW, v);
    }

    /** Checksum field. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Sets the checksum field. */
    public void setChecksum(int v) {
        Bytes.put16(buf, off + CHECKSUM, v);
    }

    /** Urgent pointer. */
    public int urgent() {
        return Bytes.u16(buf, off + URGENT);
    }

    /** Sets the urgent pointer. */
    public void setUrgent(int v) {
        Bytes.put16(buf, off + URGENT, v);
    }

    /** Absolute index of the options. */
    public int optionsOffset() {
        return off + MIN_HEADER_LEN;
    }

    /** Length of the options area (header length − 20). */
    public int optionsLen() {
        return headerLen() - MIN_HEADER_LEN;
    }

    /** Absolute index of the payload. */
    public int payloadOffset() {
        return off + headerLen();
    }

    /** Payload length (segment length − header length). */
    public int payloadLen() {
        return len - headerLen();
    }

    /** Sequence space the segment occupies: payload plus one each for SYN and FIN. */
    public int segmentLen() {
        int f = flags();
        return payloadLen() + ((f & SYN) != 0 ? 1 : 0) + ((f & FIN) != 0 ? 1 : 0);
    }

    /**
     * Absolute index of the first option of this kind, or -1. Walks the options as
     * {@code tcp_parse_options} does: stops at EOL, at the end, or at a malformed length.
     */
    public int findOption(int kind) {
        int i = optionsOffset();
        int end = payloadOffset();
        while (i < end) {
            int k = buf[i] & 0xff;
            if (k == OPT_EOL) {
                return -1;
            }
            if (k == OPT_NOP) {
                i++;
                continue;
            }
            if (end - i < 2) {
                return -1;
            }
            int olen = buf[i + 1] & 0xff;
            if (olen < 2 || olen > end - i) {
                return -1;
            }
            if (k == kind) {
                return i;
            }
            i += olen;
        }
        return -1;
    }

    /** The MSS option's value, or -1 when absent or malformed (used by MSS clamping). */
    public int mssOption() {
        int i = findOption(OPT_MSS);
        return i < 0 || (buf[i + 1] & 0xff) != 4 ? -1 : Bytes.u16(buf, i + 2);
    }

    /** The checksum value for these pseudo-header addresses over the whole segment. */
    public int computeChecksum(int srcAddr, int dstAddr) {
        int s = Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.TCP, len);
        s = Checksum.sum(buf, off, CHECKSUM, s);
        s = Checksum.sum(buf, off + CHECKSUM + 2, len - CHECKSUM - 2, s);
        return Checksum.finish(s);
    }

    /** True when the checksum verifies. */
    public boolean verifyChecksum(int srcAddr, int dstAddr) {
        return Checksum.sum(buf, off, len, Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.TCP, len)) == 0xffff;
    }

    /** Computes and stores the checksum. */
    public void fillChecksum(int srcAddr, int dstAddr) {
        setChecksum(computeChecksum(srcAddr, dstAddr));
    }

    /** Updates the checksum for a pseudo-header address NAT changed (the IP header is rewritten separately). */
    public void updateChecksumForAddress(int oldAddr, int newAddr) {
        Checksum.update32(buf, off + CHECKSUM, oldAddr, newAddr);
    }

    /** Sets the source port and updates the checksum incrementally; returns the old port. */
    public int rewriteSrcPort(int port) {
        int old = srcPort();
        setSrcPort(port);
        Checksum.update16(buf, off + CHECKSUM, old, port);
        return old;
    }

    /** Sets the destination port and updates the checksum incrementally; returns the old port. */
    public int rewriteDstPort(int port) {
        int old = dstPort();
        setDstPort(port);
        Checksum.update16(buf, off + CHECKSUM, old, port);
        return old;
    }
}
