package dev.simnet.wire;

import dev.simnet.addr.Ipv4Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 header as a value (RFC 791). Total Length is {@code bufferLen() + payloadLen}; the
 * checksum is computed on emit and verified on parse. Options are kept as raw bytes (a multiple
 * of 4, at most 40), not interpreted.
 *
 * @param src source address
 * @param dst destination address
 * @param protocol protocol number ({@link IpProtocol})
 * @param payloadLen payload length in bytes
 * @param ttl time to live
 * @param dscp differentiated services code point (6 bits)
 * @param ecn ECN bits (2 bits)
 * @param ident identification
 * @param dontFrag the DF flag
 * @param moreFrags the MF flag
 * @param fragOffsetBytes fragment offset in bytes (a multiple of 8)
 * @param options raw option bytes (empty when none); not copied, do not mutate
 */
public record Ipv4Repr(Ipv4Address src, Ipv4Address dst, int protocol, int payloadLen, int ttl, int dscp, int ecn,
                       int ident, boolean dontFrag, boolean moreFrags, int fragOffsetBytes, byte[] options) {
    private static final byte[] NO_OPTIONS = new byte[0];

    /** Validates the components. */
    public Ipv4Repr {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        options = options == null ? NO_OPTIONS : options;
        if (options.length % 4 != 0 || options.length > 40) {
            throw new IllegalArgumentException("IPv4 options must be a multiple of 4 bytes, at most 40: " + options.length);
        }
        if (protocol < 0 || protocol > 255 || ttl < 0 || ttl > 255 || dscp < 0 || dscp > 63 || ecn < 0 || ecn > 3
                || ident < 0 || ident > 0xffff || fragOffsetBytes < 0 || fragOffsetBytes % 8 != 0 || fragOffsetBytes > 0x1fff * 8) {
            throw new IllegalArgumentException("IPv4 field out of range: protocol " + protocol + ", ttl " + ttl + ", dscp " + dscp
                    + ", ecn " + ecn + ", ident " + ident + ", fragment offset " + fragOffsetBytes);
        }
        if (payloadLen < 0 || payloadLen > 0xffff - Ipv4Packet.MIN_HEADER_LEN - options.length) {
            throw new IllegalArgumentException("IPv4 payload length out of range: " + payloadLen);
        }
    }

    /** A header as Linux sends a locally generated TCP/UDP packet: DF set, no options, DSCP 0, ident 0. */
    public Ipv4Repr(Ipv4Address src, Ipv4Address dst, int protocol, int payloadLen, int ttl) {
        this(src, dst, protocol, payloadLen, ttl, 0, 0, 0, true, false, 0, NO_OPTIONS);
    }

    /** Parses a packet: structure ({@link Ipv4Packet#checkLen()}) then checksum; throws {@link MalformedPacketException}. */
    public static Ipv4Repr parse(Ipv4Packet p) {
        p.checkLen().checkChecksum();
        return new Ipv4Repr(Ipv4Address.of(p.src()), Ipv4Address.of(p.dst()), p.protocol(), p.payloadLen(), p.ttl(),
                p.dscp(), p.ecn(), p.ident(), p.dontFrag(), p.moreFrags(), p.fragOffsetBytes(),
                p.optionsLen() == 0 ? NO_OPTIONS : Bytes.copy(p.buffer(), p.optionsOffset(), p.optionsLen()));
    }

    /** Header length: 20 plus options. */
    public int bufferLen() {
        return Ipv4Packet.MIN_HEADER_LEN + options.length;
    }

    /** Total Length this header announces. */
    public int totalLen() {
        return bufferLen() + payloadLen;
    }

    /** Writes the header (checksum filled) into the view's first {@link #bufferLen()} bytes. */
    public void emit(Ipv4Packet p) {
        Bytes.checkEmitRoom("IPv4", p.length(), bufferLen());
        byte[] b = p.buffer();
        int o = p.offset();
        b[o] = (byte) (0x40 | (bufferLen() / 4));
        p.setTos((dscp << 2) | ecn);
        p.setTotalLen(totalLen());
        p.setIdent(ident);
        Bytes.put16(b, o + 6, (dontFrag ? 0x4000 : 0) | (moreFrags ? 0x2000 : 0) | (fragOffsetBytes >>> 3));
        p.setTtl(ttl);
        p.setProtocol(protocol);
        p.setSrc(src.bits());
        p.setDst(dst.bits());
        System.arraycopy(options, 0, b, o + Ipv4Packet.MIN_HEADER_LEN, options.length);
        p.setChecksum(0);
        p.fillChecksum();
    }

    /** Writes the header at {@code off}. */
    public void emit(byte[] buf, int off) {
        emit(new Ipv4Packet(buf, off, Math.min(bufferLen(), Math.max(0, buf.length - off))));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Repr r && src.equals(r.src) && dst.equals(r.dst) && protocol == r.protocol
                && payloadLen == r.payloadLen && ttl == r.ttl && dscp == r.dscp && ecn == r.ecn && ident == r.ident
                && dontFrag == r.dontFrag && moreFrags == r.moreFrags && fragOffsetBytes == r.fragOffsetBytes
                && Arrays.equals(options, r.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(src, dst, protocol, payloadLen, ttl, dscp, ecn, ident, dontFrag, moreFrags, fragOffsetBytes)
                * 31 + Arrays.hashCode(options);
    }

    @Override
    public String toString() {
        return "Ipv4Repr[src=" + src + ", dst=" + dst + ", protocol=" + protocol + ", payloadLen=" + payloadLen
                + ", ttl=" + ttl + ", dscp=" + dscp + ", ecn=" + ecn + ", ident=" + ident + ", df=" + dontFrag
                + ", mf=" + moreFrags + ", fragOffsetBytes=" + fragOffsetBytes + ", options=" + Bytes.hexShort(options) + "]";
    }
}
