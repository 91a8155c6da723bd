package dev.simnet.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A TCP segment as a value: header fields, the options Linux uses (MSS, window scale,
 * SACK-permitted, SACK blocks, timestamps) and the payload.
 *
 * <p>Emit lays options out exactly as Linux's {@code tcp_options_write} does, so a Linux SYN
 * round-trips byte for byte: MSS; then SACK-permitted+timestamps, or NOP NOP timestamps, or NOP NOP
 * SACK-permitted; then NOP window-scale; then NOP NOP SACK blocks; padded with EOL (zero) bytes to a
 * multiple of 4. Parse follows {@code tcp_parse_options}: NOPs are skipped, EOL ends the list, an
 * option with a bad length ends parsing without rejecting the segment, unknown kinds are skipped
 * (and not kept), an option whose length does not match its kind is ignored.
 *
 * @param srcPort source port
 * @param dstPort destination port
 * @param seq sequence number (unsigned 32 bits in an int)
 * @param ack acknowledgement number (unsigned 32 bits in an int)
 * @param flags flag bits ({@link TcpPacket#SYN} …)
 * @param window window field (unscaled)
 * @param urgent urgent pointer
 * @param mss MSS option value, or -1 when absent
 * @param windowScale window scale shift, or -1 when absent
 * @param sackPermitted SACK-permitted option present
 * @param sackBlocks SACK blocks as (left, right) pairs, empty when none; not copied
 * @param timestamps the timestamps option, or null when absent
 * @param payload payload bytes; not copied, do not mutate
 */
public record TcpRepr(int srcPort, int dstPort, int seq, int ack, int flags, int window, int urgent,
                      int mss, int windowScale, boolean sackPermitted, int[] sackBlocks, Timestamps timestamps,
                      byte[] payload) {
    private static final int[] NO_SACK = new int[0];
    private static final byte[] NO_PAYLOAD = new byte[0];

    /**
     * The timestamps option (RFC 7323).
     *
     * @param tsVal sender's timestamp value
     * @param tsEcr echoed timestamp
     */
    public record Timestamps(int tsVal, int tsEcr) {
    }

    /** Validates the components. */
    public TcpRepr {
        if (srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
            throw new IllegalArgumentException("TCP port out of range: " + srcPort + " -> " + dstPort);
        }
        if (flags < 0 || flags > 0xff || window < 0 || window > 0xffff || urgent < 0 || urgent > 0xffff) {
            throw new IllegalArgumentException("TCP field out of range: flags " + flags + ", window " + window + ", urgent " + urgent);
        }
        if (mss < -1 || mss > 0xffff || windowScale < -1 || windowScale > 255) {
            throw new IllegalArgumentException("TCP option out of range: mss " + mss + ", wscale " + windowScale);
        }
        sackBlocks = sackBlocks == null ? NO_SACK : sackBlocks;
        if (sackBlocks.length % 2 != 0 || sackBlocks.length > 8) {
            throw new IllegalArgumentException("SACK blocks must be 0 to 4 (left, right) pairs: " + sackBlocks.length + " values");
        }
        payload = payload == null ? NO_PAYLOAD : payload;
        if (optionsLen(mss, windowScale, sackPermitted, sackBlocks, timestamps) > TcpPacket.MAX_HEADER_LEN - TcpPacket.MIN_HEADER_LEN) {
            throw new IllegalArgumentException("TCP options exceed 40 bytes");
        }
    }

    /** A segment without options. */
    public static TcpRepr of(int srcPort, int dstPort, int seq, int ack, int flags, int window, byte[] payload) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, 0, -1, -1, false, NO_SACK, null, payload);
    }

    /** Parses a segment carried between these addresses: length, checksum, then options. */
    public static TcpRepr parse(TcpPacket p, int srcAddr, int dstAddr) {
        p.checkLen().checkChecksum(srcAddr, dstAddr);
        byte[] b = p.buffer();
        int mss = -1;
        int ws = -1;
        boolean sackOk = false;
        int[] sack = NO_SACK;
        Timestamps ts = null;
        int i = p.optionsOffset();
        int end = p.payloadOffset();
        while (i < end) {
            int kind = b[i] & 0xff;
            if (kind == TcpPacket.OPT_EOL) {
                break;
            }
            if (kind == TcpPacket.OPT_NOP) {
                i++;
                continue;
            }
            if (end - i < 2) {
                break;
            }
            int olen = b[i + 1] & 0xff;
            if (olen < 2 || olen > end - i) {
                break;
            }
            switch (kind) {
                case TcpPacket.OPT_MSS:
                    if (olen == 4) {
                        mss = Bytes.u16(b, i + 2);
                    }
                    break;
                case TcpPacket.OPT_WSCALE:
                    if (olen == 3) {
                        ws = Bytes.u8(b, i + 2);
                    }
                    break;
                case TcpPacket.OPT_SACK_PERMITTED:
                    if (olen == 2) {
                        sackOk = true;
                    }
                    break;
                case TcpPacket.OPT_SACK:
                    if (olen >= 10 && (olen - 2) % 8 == 0) {
                        int n = (olen - 2) / 4;
                        sack = new int[n];
                        for (int k = 0; k < n; k++) {
                            sack[k] = Bytes.i32(b, i + 2 + 4 * k);
                        }
                    }
                    break;
                case TcpPacket.OPT_TIMESTAMPS:
                    if (olen == 10) {
                        ts = new Timestamps(Bytes.i32(b, i + 2), Bytes.i32(b, i + 6));
                    }
                    break;
                default:
                    break;
            }
            i += olen;
        }
        return new TcpRepr(p.srcPort(), p.dstPort(), p.seq(), p.ack(), p.flags(), p.window(), p.urgent(),
                mss, ws, sackOk, sack, ts, Bytes.copy(b, p.payloadOffset(), p.payloadLen()));
    }

    private static int optionsLen(int mss, int ws, boolean sackOk, int[] sack, Timestamps ts) {
        int n = 0;
        if (mss >= 0) {
            n += 4;
        }
        if (ts != null || sackOk) {
            n += ts != null ? 12 : 4;
        }
        if (ws >= 0) {
            n += 4;
        }
        if (sack.length > 0) {
            n += 4 + 4 * sack.length;
        }
        return n;
    }

    /** Header length this repr emits (options padded to a multiple of 4). */
    public int headerLen() {
        return TcpPacket.MIN_HEADER_LEN + ((optionsLen(mss, windowScale, sackPermitted, sackBlocks, timestamps) + 3) & ~3);
    }

    /** Header plus payload. */
    public int bufferLen() {
        return headerLen() + payload.length;
    }

    /** True when every bit of {@code mask} is set in {@link #flags()}. */
    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    /** Sequence space occupied: payload plus one each for SYN and FIN. */
    public int segmentLen() {
        return payload.length + ((flags & TcpPacket.SYN) != 0 ? 1 : 0) + ((flags & TcpPacket.FIN) != 0 ? 1 : 0);
    }

    /** Writes header, options, payload and checksum (for these pseudo-header addresses) into the view. */
    public void emit(TcpPacket p, int srcAddr, int dstAddr) {
        int hl = headerLen();
        Bytes.checkEmitRoom("TCP", p.length(), hl + payload.length);
        byte[] b = p.buffer();
        p.setSrcPort(srcPort);
        p.setDstPort(dstPort);
        p.setSeq(seq);
        p.setAck(ack);
        p.setHeaderLen(hl);
        p.setFlags(flags);
        p.setWindow(window);
        p.setChecksum(0);
        p.setUrgent(urgent);
        int i = p.optionsOffset();
        if (mss >= 0) {
            b[i++] = TcpPacket.OPT_MSS;
            b[i++] = 4;
            Bytes.put16(b, i, mss);
            i += 2;
        }
        if (timestamps != null) {
            if (sackPermitted) {
                b[i++] = TcpPacket.OPT_SACK_PERMITTED;
                b[i++] = 2;
            } else {
                b[i++] = TcpPacket.OPT_NOP;
                b[i++] = TcpPacket.OPT_NOP;
            }
            b[i++] = TcpPacket.OPT_TIMESTAMPS;
            b[i++] = 10;
            Bytes.put32(b, i, timestamps.tsVal());
            Bytes.put32(b, i + 4, timestamps.tsEcr());
            i += 8;
        } else if (sackPermitted) {
            b[i++] = TcpPacket.OPT_NOP;
            b[i++] = TcpPacket.OPT_NOP;
            b[i++] = TcpPacket.OPT_SACK_PERMITTED;
            b[i++] = 2;
        }
        if (windowScale >= 0) {
            b[i++] = TcpPacket.OPT_NOP;
            b[i++] = TcpPacket.OPT_WSCALE;
            b[i++] = 3;
            b[i++] = (byte) windowScale;
        }
        if (sackBlocks.length > 0) {
            b[i++] = TcpPacket.OPT_NOP;
            b[i++] = TcpPacket.OPT_NOP;
            b[i++] = TcpPacket.OPT_SACK;
            b[i++] = (byte) (2 + 4 * sackBlocks.length);
            for (int v : sackBlocks) {
                Bytes.put32(b, i, v);
                i += 4;
            }
        }
        while (i < p.offset() + hl) {
            b[i++] = TcpPacket.OPT_EOL;
        }
        System.arraycopy(payload, 0, b, p.offset() + hl, payload.length);
        int s = Checksum.pseudoHeaderSum(srcAddr, dstAddr, IpProtocol.TCP, hl + payload.length);
        p.setChecksum(Checksum.finish(Checksum.sum(b, p.offset(), hl + payload.length, s)));
    }

    /** Writes the segment at {@code off}. */
    public void emit(byte[] buf, int off, int srcAddr, int dstAddr) {
        emit(new TcpPacket(buf, off, Math.min(bufferLen(), Math.max(0, buf.length - off))), srcAddr, dstAddr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpRepr r && r.srcPort == srcPort && r.dstPort == dstPort && r.seq == seq && r.ack == ack
                && r.flags == flags && r.window == window && r.urgent == urgent && r.mss == mss
                && r.windowScale == windowScale && r.sackPermitted == sackPermitted
                && Arrays.equals(r.sackBlocks, sackBlocks) && Objects.equals(r.timestamps, timestamps)
                && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(srcPort, dstPort, seq, ack, flags, window, urgent, mss, windowScale, sackPermitted, timestamps)
                * 961 + Arrays.hashCode(sackBlocks) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "TcpRepr[" + srcPort + " -> " + dstPort + ", seq=" + Integer.toUnsignedString(seq)
                + ", ack=" + Integer.toUnsignedString(ack) + ", flags=" + PacketFormatter.tcpFlags(flags)
                + ", win=" + window + ", urg=" + urgent + ", mss=" + mss + ", wscale=" + windowScale
                + ", sackOK=" + sackPermitted + ", sack=" + Arrays.toString(sackBlocks) + ", ts=" + timestamps
                + ", payload=" + Bytes.hexShort(payload) + "]";
    }
}
