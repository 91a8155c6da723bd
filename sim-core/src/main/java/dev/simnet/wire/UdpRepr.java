package dev.simnet.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP datagram as a value: ports and payload (RFC 768). The length and checksum are derived
 * on emit (checksum always filled, as Linux sends it); parse verifies a non-zero checksum.
 *
 * @param srcPort source port
 * @param dstPort destination port
 * @param payload payload bytes; not copied, do not mutate
 */
public record UdpRepr(int srcPort, int dstPort, byte[] payload) {
    /** Validates the components. */
    public UdpRepr {
        if (srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
            throw new IllegalArgumentException("UDP port out of range: " + srcPort + " -> " + dstPort);
        }
        payload = payload == null ? new byte[0] : payload;
        if (payload.length > 0xffff - UdpPacket.HEADER_LEN) {
            throw new IllegalArgumentException("UDP payload too long: " + payload.length);
        }
    }

    /** Parses a datagram carried between these addresses: length, then checksum (when non-zero). */
    public static UdpRepr parse(UdpPacket p, int srcAddr, int dstAddr) {
        p.checkLen().checkChecksum(srcAddr, dstAddr);
        return new UdpRepr(p.srcPort(), p.dstPort(), Bytes.copy(p.buffer(), p.payloadOffset(), p.payloadLen()));
    }

    /** Header plus payload. */
    public int bufferLen() {
        return UdpPacket.HEADER_LEN + payload.length;
    }

    /** Writes header and payload, checksum filled for these pseudo-header addresses. */
    public void emit(UdpPacket p, int srcAddr, int dstAddr) {
        Bytes.checkEmitRoom("UDP", p.length(), bufferLen());
        p.setSrcPort(srcPort);
        p.setDstPort(dstPort);
        p.setLength16(bufferLen());
        System.arraycopy(payload, 0, p.buffer(), p.payloadOffset(), payload.length);
        p.setChecksum(0);
        p.fillChecksum(srcAddr, dstAddr);
    }

    /** Writes the datagram at {@code off}. */
    public void emit(byte[] buf, int off, int srcAddr, int dstAddr) {
        emit(new UdpPacket(buf, off, Math.min(bufferLen(), Math.max(0, buf.length - off))), srcAddr, dstAddr);
    }

    /**
     * Zero-copy emit for a payload already in place after the header: writes ports and length for
     * {@code payloadLen} bytes and fills the checksum.
     */
    public static void emitHeader(UdpPacket p, int srcPort, int dstPort, int payloadLen, int srcAddr, int dstAddr) {
        Bytes.checkEmitRoom("UDP", p.length(), UdpPacket.HEADER_LEN + payloadLen);
        p.setSrcPort(srcPort);
        p.setDstPort(dstPort);
        p.setLength16(UdpPacket.HEADER_LEN + payloadLen);
        p.setChecksum(0);
        p.fillChecksum(srcAddr, dstAddr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpRepr r && r.srcPort == srcPort && r.dstPort == dstPort && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(srcPort, dstPort) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UdpRepr[" + srcPort + " -> " + dstPort + ", payload=" + Bytes.hexShort(payload) + "]";
    }
}
