package dev.simnet.wire;

/**
 * Zero-copy view of an ICMP for IPv4 message (RFC 792): type, code, checksum, the 4-byte
 * "rest of header" (echo identifier and sequence, next-hop MTU for fragmentation needed
 * (RFC 1191), pointer, gateway) and the data, which for an error is the quoted original IP
 * header plus at least its first 8 payload bytes.
 *
 * <pre>
 *  0       1       2               4                               8
 * | type  | code  |   checksum    |  rest of header (id/seq, MTU)  | data ...
 * </pre>
 */
public final class IcmpPacket extends View {
    /** Header length (type, code, checksum, rest of header). */
    public static final int HEADER_LEN = 8;

    /** Echo reply. */
    public static final int TYPE_ECHO_REPLY = 0;
    /** Destination unreachable. */
    public static final int TYPE_DEST_UNREACHABLE = 3;
    /** Source quench (deprecated, never sent by Linux). */
    public static final int TYPE_SOURCE_QUENCH = 4;
    /** Redirect. */
    public static final int TYPE_REDIRECT = 5;
    /** Echo request. */
    public static final int TYPE_ECHO_REQUEST = 8;
    /** Time exceeded. */
    public static final int TYPE_TIME_EXCEEDED = 11;
    /** Parameter problem. */
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    /** Timestamp request. */
    public static final int TYPE_TIMESTAMP = 13;
    /** Timestamp reply. */
    public static final int TYPE_TIMESTAMP_REPLY = 14;

    /** Destination unreachable: network. */
    public static final int CODE_NET_UNREACHABLE = 0;
    /** Destination unreachable: host. */
    public static final int CODE_HOST_UNREACHABLE = 1;
    /** Destination unreachable: protocol. */
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    /** Destination unreachable: port. */
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable: fragmentation needed and DF set (carries the next-hop MTU). */
    public static final int CODE_FRAG_NEEDED = 4;
    /** Destination unreachable: source route failed. */
    public static final int CODE_SOURCE_ROUTE_FAILED = 5;
    /** Destination unreachable: network administratively prohibited (iptables {@code icmp-net-prohibited}). */
    public static final int CODE_NET_PROHIBITED = 9;
    /** Destination unreachable: host administratively prohibited ({@code icmp-host-prohibited}). */
    public static final int CODE_HOST_PROHIBITED = 10;
    /** Destination unreachable: communication administratively prohibited ({@code icmp-admin-prohibited}). */
    public static final int CODE_ADMIN_PROHIBITED = 13;
    /** Time exceeded: TTL exceeded in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;
    /** Time exceeded: fragment reassembly time exceeded. */
    public static final int CODE_REASSEMBLY_EXCEEDED = 1;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int IDENT = 4;
    private static final int SEQ = 6;
    private static final int REST = 4;
    private static final int MTU = 6;
    private static final String FORMAT = "ICMP";

    /** An unbound view; call {@link #wrap} before use. */
    public IcmpPacket() {
    }

    /** A view over {@code len} bytes at {@code off} (unchecked). The whole region is the message. */
    public IcmpPacket(byte[] buf, int off, int len) {
        wrap(buf, off, len);
    }

    /** Rebinds this view without checking content, and returns it. The whole region is the message. */
    public IcmpPacket wrap(byte[] buf, int off, int len) {
        bind(buf, off, len);
        return this;
    }

    /** A new view validated with {@link #checkLen()}. */
    public static IcmpPacket wrapChecked(byte[] buf, int off, int len) {
        return new IcmpPacket(buf, off, len).checkLen();
    }

    /**
     * 0, or {@code TRUNCATED} when shorter than the 8-byte header, or — for the error types
     * (unreachable, source quench, redirect, time exceeded, parameter problem) — when the data
     * does not hold a quoted IPv4 header plus 8 bytes, or that header's version/IHL is wrong
     * ({@code BAD_VERSION}/{@code BAD_HEADER_LENGTH}). The checksum is not checked here.
     */
    public static int validate(byte[] buf, int off, int len) {
        if (len < HEADER_LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        if (isErrorType(Bytes.u8(buf, off + TYPE))) {
            int q = Ipv4Packet.validateQuoted(buf, off + HEADER_LEN, len - HEADER_LEN);
            if (q != 0) {
                return q;
            }
            int hl = (buf[off + HEADER_LEN] & 0xf) * 4;
            if (len - HEADER_LEN < hl + 8) {
                return MalformedPacketException.TRUNCATED;
            }
        }
        return MalformedPacketException.OK;
    }

    /** As {@link #validate(byte[], int, int)}, also returning {@code BAD_CHECKSUM} when asked to verify it. */
    public static int validate(byte[] buf, int off, int len, boolean verifyChecksum) {
        int r = validate(buf, off, len);
        if (r == 0 && verifyChecksum && !Checksum.verify(buf, off, len)) {
            return MalformedPacketException.BAD_CHECKSUM;
        }
        return r;
    }

    /** Validates the wrapped bytes; returns this view or throws {@link MalformedPacketException}. */
    public IcmpPacket checkLen() {
        int r = validate(buf, off, len);
        if (r != 0) {
            throw MalformedPacketException.ofCode(FORMAT, r, len < HEADER_LEN ? len + " bytes, header needs " + HEADER_LEN
                    : "type " + type() + " needs a quoted IPv4 header and 8 bytes, data is " + (len - HEADER_LEN) + " bytes");
        }
        return this;
    }

    /** Throws {@code BAD_CHECKSUM} unless the checksum over the whole message verifies. */
    public IcmpPacket checkChecksum() {
        if (!verifyChecksum()) {
            throw MalformedPacketException.ofCode(FORMAT, MalformedPacketException.BAD_CHECKSUM,
                    "checksum 0x" + Integer.toHexString(checksum()) + ", expected 0x" + Integer.toHexString(computeChecksum()));
        }
        return this;
    }

    /** True for the types that report an error and quote the offending datagram (3, 4, 5, 11, 12). */
    public static boolean isErrorType(int type) {
        return type == TYPE_DEST_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_REDIRECT
                || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }

    /** Type. */
    public int type() {
        return Bytes.u8(buf, off + TYPE);
    }

    /** Sets the type. */
    public void setType(int v) {
        Bytes.put8(buf, off + TYPE, v);
    }

    /** Code. */
    public int code() {
        return Bytes.u8(buf, off + CODE);
    }

    /** Sets the code. */
    public void setCode(int v) {
        Bytes.put8(buf, off + CODE, v);
    }

    /** Checksum field. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Sets the checksum field. */
    public void setChecksum(int v) {
        Bytes.put16(buf, off + CHECKSUM, v);
    }

    /** The 32-bit rest of header. */
    public int restOfHeader() {
        return Bytes.i32(buf, off + REST);
    }

    /** Sets the 32-bit rest of header. */
    public void setRestOfHeader(int v) {
        Bytes.put32(buf, off + REST, v);
    }

    /** Echo identifier (echo request/reply). */
    public int echoIdent() {
        return Bytes.u16(buf, off + IDENT);
    }

    /** Sets the echo identifier (checksum not updated). */
    public void setEchoIdent(int v) {
        Bytes.put16(buf, off + IDENT, v);
    }

    /** Echo sequence number (echo request/reply). */
    public int echoSeq() {
        return Bytes.u16(buf, off + SEQ);
    }

    /** Sets the echo sequence number (checksum not updated). */
    public void setEchoSeq(int v) {
        Bytes.put16(buf, off + SEQ, v);
    }

    /** Next-hop MTU of a "fragmentation needed" message (RFC 1191). */
    public int nextHopMtu() {
        return Bytes.u16(buf, off + MTU);
    }

    /** Sets the next-hop MTU. */
    public void setNextHopMtu(int v) {
        Bytes.put16(buf, off + MTU, v);
    }

    /** Absolute index of the data (echo payload, or the quoted datagram of an error). */
    public int dataOffset() {
        return off + HEADER_LEN;
    }

    /** Data length. */
    public int dataLen() {
        return len - HEADER_LEN;
    }

    /**
     * Binds {@code view} to the datagram an error quotes (its IP header onwards, as many bytes as
     * were quoted) and returns it. Valid after {@link #checkLen()} on an error type; the quoted
     * header's Total Length usually exceeds the quote, so use the view's header accessors and
     * {@code headerLen()}, not {@code payloadLen()}. NAT rewrites the quoted addresses and ports
     * through it, then calls {@link #fillChecksum()} as {@code nf_nat_icmp_reply_translation} does.
     */
    public Ipv4Packet quoted(Ipv4Packet view) {
        return view.wrap(buf, off + HEADER_LEN, len - HEADER_LEN);
    }

    /** Computes the checksum over the whole message with the checksum field taken as zero. */
    public int computeChecksum() {
        int s = Checksum.sum(buf, off, CHECKSUM);
        s = Checksum.sum(buf, off + CHECKSUM + 2, len - CHECKSUM - 2, s);
        return Checksum.finish(s);
    }

    /** True when the checksum verifies. */
    public boolean verifyChecksum() {
        return Checksum.verify(buf, off, len);
    }

    /** Computes and stores the checksum. */
    public void fillChecksum() {
        setChecksum(computeChecksum());
    }

    /** Sets the echo identifier and updates the checksum incrementally (NAT remapping of ICMP ids); returns the old id. */
    public int rewriteEchoIdent(int newIdent) {
        int old = echoIdent();
        setEchoIdent(newIdent);
        Checksum.update16(buf, off + CHECKSUM, old, newIdent);
        return old;
    }
}
