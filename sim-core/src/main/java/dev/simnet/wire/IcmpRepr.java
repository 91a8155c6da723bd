package dev.simnet.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * An ICMP for IPv4 message as a value (RFC 792): one record per kind simnet handles, plus
 * {@link Other} for the rest so any valid message round-trips. Parse checks the length, the
 * quoted header of errors and the checksum; emit fills the checksum.
 *
 * <p>Byte arrays are not copied on construction; do not mutate them.
 */
public sealed interface IcmpRepr permits IcmpRepr.EchoRequest, IcmpRepr.EchoReply, IcmpRepr.DestUnreachable,
        IcmpRepr.TimeExceeded, IcmpRepr.Other {

    /** The message length this repr emits. */
    int bufferLen();

    /** Writes the message, checksum included, into the view's first {@link #bufferLen()} bytes. */
    void emit(IcmpPacket p);

    /** Writes the message at {@code off}. */
    default void emit(byte[] buf, int off) {
        emit(new IcmpPacket(buf, off, Math.min(bufferLen(), Math.max(0, buf.length - off))));
    }

    /** Parses a message: {@link IcmpPacket#checkLen()}, then the checksum; throws {@link MalformedPacketException}. */
    static IcmpRepr parse(IcmpPacket p) {
        p.checkLen().checkChecksum();
        byte[] data = Bytes.copy(p.buffer(), p.dataOffset(), p.dataLen());
        switch (p.type()) {
            case IcmpPacket.TYPE_ECHO_REQUEST:
                if (p.code() == 0) {
                    return new EchoRequest(p.echoIdent(), p.echoSeq(), data);
                }
                break;
            case IcmpPacket.TYPE_ECHO_REPLY:
                if (p.code() == 0) {
                    return new EchoReply(p.echoIdent(), p.echoSeq(), data);
                }
                break;
            case IcmpPacket.TYPE_DEST_UNREACHABLE:
                if (p.code() == IcmpPacket.CODE_FRAG_NEEDED) {
                    if ((p.restOfHeader() >>> 16) == 0) {
                        return new DestUnreachable(p.code(), p.nextHopMtu(), data);
                    }
                } else if (p.restOfHeader() == 0) {
                    return new DestUnreachable(p.code(), 0, data);
                }
                break;
            case IcmpPacket.TYPE_TIME_EXCEEDED:
                if (p.restOfHeader() == 0) {
                    return new TimeExceeded(p.code(), data);
                }
                break;
            default:
                break;
        }
        return new Other(p.type(), p.code(), p.restOfHeader(), data);
    }

    private static void emitCommon(IcmpPacket p, int len, int type, int code, int rest, byte[] data) {
        Bytes.checkEmitRoom("ICMP", p.length(), len);
        p.setType(type);
        p.setCode(code);
        p.setChecksum(0);
        p.setRestOfHeader(rest);
        System.arraycopy(data, 0, p.buffer(), p.dataOffset(), data.length);
        int s = Checksum.sum(p.buffer(), p.offset(), len);
        p.setChecksum(Checksum.finish(s));
    }

    /**
     * Echo request (type 8), as ping sends it.
     *
     * @param ident identifier
     * @param seq sequence number
     * @param data payload (ping's timestamp and pattern)
     */
    record EchoRequest(int ident, int seq, byte[] data) implements IcmpRepr {
        /** Validates the components. */
        public EchoRequest {
            checkIdSeq(ident, seq);
            data = data == null ? new byte[0] : data;
        }

        @Override
        public int bufferLen() {
            return IcmpPacket.HEADER_LEN + data.length;
        }

        @Override
        public void emit(IcmpPacket p) {
            emitCommon(p, bufferLen(), IcmpPacket.TYPE_ECHO_REQUEST, 0, (ident << 16) | seq, data);
        }

        /** The reply a host sends back: same id, sequence and data. */
        public EchoReply reply() {
            return new EchoReply(ident, seq, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoRequest e && e.ident == ident && e.seq == seq && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ident, seq) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "EchoRequest[ident=" + ident + ", seq=" + seq + ", data=" + Bytes.hexShort(data) + "]";
        }
    }

    /**
     * Echo reply (type 0).
     *
     * @param ident identifier
     * @param seq sequence number
     * @param data payload copied from the request
     */
    record EchoReply(int ident, int seq, byte[] data) implements IcmpRepr {
        /** Validates the components. */
        public EchoReply {
            checkIdSeq(ident, seq);
            data = data == null ? new byte[0] : data;
        }

        @Override
        public int bufferLen() {
            return IcmpPacket.HEADER_LEN + data.length;
        }

        @Override
        public void emit(IcmpPacket p) {
            emitCommon(p, bufferLen(), IcmpPacket.TYPE_ECHO_REPLY, 0, (ident << 16) | seq, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoReply e && e.ident == ident && e.seq == seq && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ident, seq) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "EchoReply[ident=" + ident + ", seq=" + seq + ", data=" + Bytes.hexShort(data) + "]";
        }
    }

    /**
     * Destination unreachable (type 3).
     *
     * @param code one of {@code IcmpPacket.CODE_*_UNREACHABLE}, {@code CODE_FRAG_NEEDED}, {@code CODE_*_PROHIBITED}
     * @param nextHopMtu next-hop MTU for {@code CODE_FRAG_NEEDED}, else 0
     * @param quoted the quoted datagram: its IP header and at least 8 bytes of its payload
     */
    record DestUnreachable(int code, int nextHopMtu, byte[] quoted) implements IcmpRepr {
        /** Validates the components. */
        public DestUnreachable {
            checkCode(code);
            if (nextHopMtu < 0 || nextHopMtu > 0xffff || (nextHopMtu != 0 && code != IcmpPacket.CODE_FRAG_NEEDED)) {
                throw new IllegalArgumentException("next-hop MTU " + nextHopMtu + " with code " + code);
            }
            Objects.requireNonNull(quoted, "quoted");
        }

        @Override
        public int bufferLen() {
            return IcmpPacket.HEADER_LEN + quoted.length;
        }

        @Override
        public void emit(IcmpPacket p) {
            emitCommon(p, bufferLen(), IcmpPacket.TYPE_DEST_UNREACHABLE, code, nextHopMtu, quoted);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestUnreachable e && e.code == code && e.nextHopMtu == nextHopMtu && Arrays.equals(e.quoted, quoted);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, nextHopMtu) * 31 + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "DestUnreachable[code=" + code + ", nextHopMtu=" + nextHopMtu + ", quoted=" + Bytes.hexShort(quoted) + "]";
        }
    }

    /**
     * Time exceeded (type 11).
     *
     * @param code {@link IcmpPacket#CODE_TTL_EXCEEDED} or {@link IcmpPacket#CODE_REASSEMBLY_EXCEEDED}
     * @param quoted the quoted datagram: its IP header and at least 8 bytes of its payload
     */
    record TimeExceeded(int code, byte[] quoted) implements IcmpRepr {
        /** Validates the components. */
        public TimeExceeded {
            checkCode(code);
            Objects.requireNonNull(quoted, "quoted");
        }

        @Override
        public int bufferLen() {
            return IcmpPacket.HEADER_LEN + quoted.length;
        }

        @Override
        public void emit(IcmpPacket p) {
            emitCommon(p, bufferLen(), IcmpPacket.TYPE_TIME_EXCEEDED, code, 0, quoted);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TimeExceeded e && e.code == code && Arrays.equals(e.quoted, quoted);
        }

        @Override
        public int hashCode() {
            return code * 31 + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "TimeExceeded[code=" + code + ", quoted=" + Bytes.hexShort(quoted) + "]";
        }
    }

    /**
     * Any other message, kept raw so it round-trips.
     *
     * @param type type
     * @param code code
     * @param restOfHeader the 32-bit rest of header
     * @param data data after the 8-byte header
     */
    record Other(int type, int code, int restOfHeader, byte[] data) implements IcmpRepr {
        /** Validates the components. */
        public Other {
            if (type < 0 || type > 255) {
                throw new IllegalArgumentException("ICMP type out of range: " + type);
            }
            checkCode(code);
            Objects.requireNonNull(data, "data");
        }

        @Override
        public int bufferLen() {
            return IcmpPacket.HEADER_LEN + data.length;
        }

        @Override
        public void emit(IcmpPacket p) {
            emitCommon(p, bufferLen(), type, code, restOfHeader, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Other e && e.type == type && e.code == code && e.restOfHeader == restOfHeader
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, code, restOfHeader) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Other[type=" + type + ", code=" + code + ", rest=0x" + Integer.toHexString(restOfHeader)
                    + ", data=" + Bytes.hexShort(data) + "]";
        }
    }

    private static void checkIdSeq(int ident, int seq) {
        if (ident < 0 || ident > 0xffff || seq < 0 || seq > 0xffff) {
            throw new IllegalArgumentException("ICMP echo id/seq out of range: " + ident + "/" + seq);
        }
    }

    private static void checkCode(int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("ICMP code out of range: " + code);
        }
    }
}
