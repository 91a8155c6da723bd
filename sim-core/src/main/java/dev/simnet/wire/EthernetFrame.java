package dev.simnet.wire;

/**
 * Zero-copy view of an Ethernet II frame (IEEE 802.3 with an EtherType, no FCS), with optional
 * 802.1Q / 802.1ad tags parsed (up to two, QinQ).
 *
 * <pre>
 *  0                   6                  12         14
 * +-------------------+------------------+----------+----------------
 * | destination MAC   | source MAC       | EtherType| payload
 * +-------------------+------------------+----------+----------------
 *   tagged:                              | 0x8100   | PCP DEI VID (16) | inner EtherType | payload
 * </pre>
 *
 * <p>Use {@link #wrapChecked} for untrusted bytes, or {@link #validate} and a reused view with
 * {@link #wrap} on the per-packet path; after a successful check no accessor can fail.
 */
public final class EthernetFrame extends View {
    /** Length of an untagged header. */
    public static final int HEADER_LEN = 14;
    /** Length of one 802.1Q tag. */
    public static final int VLAN_TAG_LEN = 4;
    /** Smallest frame on the wire without FCS (shorter frames are padded by the sender). */
    public static final int MIN_FRAME_LEN = 60;

    private static final int DST = 0;
    private static final int SRC = 6;
    private static final int ETHERTYPE = 12;
    private static final int TCI = 14;
    private static final int INNER_ETHERTYPE = 16;
    private static final String FORMAT = "Ethernet";

    /** An unbound view; call {@link #wrap} before use. */
    public EthernetFrame() {
    }

    /** A view over {@code len} bytes at {@code off} (unchecked; see {@link #checkLen}). */
    public EthernetFrame(byte[] buf, int off, int len) {
        wrap(buf, off, len);
    }

    /** Rebinds this view to other bytes without checking their content, and returns it. */
    public EthernetFrame wrap(byte[] buf, int off, int len) {
        bind(buf, off, len);
        return this;
    }

    /** Rebinds this view to the frame a {@link dev.simnet.packet.PacketBuffer} holds ({@code [start, end)}), unchecked. */
    public EthernetFrame wrap(dev.simnet.packet.PacketBuffer pb) {
        return wrap(pb.data(), pb.start(), pb.length());
    }

    /** A new view over the bytes, validated; throws {@link MalformedPacketException} if invalid. */
    public static EthernetFrame wrapChecked(byte[] buf, int off, int len) {
        return new EthernetFrame(buf, off, len).checkLen();
    }

    /**
     * Checks that the frame holds its header (and every tag it announces); returns 0 or a
     * {@link MalformedPacketException.Reason#code()}. Never throws for any content.
     */
    public static int validate(byte[] buf, int off, int len) {
        if (len < HEADER_LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        int hl = headerLen(buf, off, len);
        return hl > len ? MalformedPacketException.TRUNCATED : MalformedPacketException.OK;
    }

    /** Validates the wrapped bytes; returns this view or throws {@link MalformedPacketException}. */
    public EthernetFrame checkLen() {
        int r = validate(buf, off, len);
        if (r != 0) {
            throw MalformedPacketException.ofCode(FORMAT, r, len + " bytes, header needs " + (len < HEADER_LEN ? HEADER_LEN : headerLen()));
        }
        return this;
    }

    private static int headerLen(byte[] buf, int off, int len) {
        int hl = HEADER_LEN;
        int type = Bytes.u16(buf, off + ETHERTYPE);
        // at most two tags (802.1ad outer, 802.1Q inner), as the kernel's vlan code parses
        for (int tags = 0; tags < 2 && (type == EtherType.VLAN || type == EtherType.QINQ); tags++) {
            hl += VLAN_TAG_LEN;
            if (hl > len) {
                return hl;
            }
            type = Bytes.u16(buf, off + hl - 2);
        }
        return hl;
    }

    /** Destination MAC as 48 bits. */
    public long dst() {
        return MacAddress48.read(buf, off + DST);
    }

    /** Sets the destination MAC. */
    public void setDst(long mac) {
        MacAddress48.write(mac, buf, off + DST);
    }

    /** Source MAC as 48 bits. */
    public long src() {
        return MacAddress48.read(buf, off + SRC);
    }

    /** Sets the source MAC. */
    public void setSrc(long mac) {
        MacAddress48.write(mac, buf, off + SRC);
    }

    /** The EtherType at byte 12 (0x8100 when tagged). */
    public int etherType() {
        return Bytes.u16(buf, off + ETHERTYPE);
    }

    /** Sets the EtherType at byte 12. */
    public void setEtherType(int type) {
        Bytes.put16(buf, off + ETHERTYPE, type);
    }

    /** True when the frame carries an 802.1Q (or 802.1ad) tag. */
    public boolean hasVlanTag() {
        int t = etherType();
        return t == EtherType.VLAN || t == EtherType.QINQ;
    }

    /** The first tag's control information (PCP 3 bits, DEI 1 bit, VID 12 bits); only when {@link #hasVlanTag()}. */
    public int vlanTci() {
        return Bytes.u16(buf, off + TCI);
    }

    /** The first tag's VLAN id (0..4095); only when {@link #hasVlanTag()}. */
    public int vlanId() {
        return vlanTci() & 0x0fff;
    }

    /** The first tag's priority code point (0..7); only when {@link #hasVlanTag()}. */
    public int vlanPcp() {
        return vlanTci() >>> 13;
    }

    /** The first tag's drop-eligible bit; only when {@link #hasVlanTag()}. */
    public boolean vlanDei() {
        return (vlanTci() & 0x1000) != 0;
    }

    /** Sets the first tag's control information; only when {@link #hasVlanTag()}. */
    public void setVlanTci(int tci) {
        Bytes.put16(buf, off + TCI, tci);
    }

    /** The EtherType of the payload: after any tags (equals {@link #etherType()} when untagged). */
    public int payloadEtherType() {
        return Bytes.u16(buf, off + headerLen() - 2);
    }

    /** Sets the EtherType of the payload (after any tags). */
    public void setPayloadEtherType(int type) {
        Bytes.put16(buf, off + headerLen() - 2, type);
    }

    /** The EtherType after the first tag; only when {@link #hasVlanTag()}. */
    public int innerEtherType() {
        return Bytes.u16(buf, off + INNER_ETHERTYPE);
    }

    /** Header length: 14, 18 with one tag, 22 with two. */
    public int headerLen() {
        return headerLen(buf, off, len);
    }

    /** Absolute index of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLen();
    }

    /** Payload length (the rest of the wrapped region, including any padding). */
    public int payloadLen() {
        return len - headerLen();
    }
}
