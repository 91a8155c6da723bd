package dev.simnet.wire;

import dev.simnet.addr.MacAddress;

/**
 * An Ethernet II header as a value: addresses, the payload's EtherType, and an optional single
 * 802.1Q tag ({@code vlanTci} = {@link #NO_VLAN} when untagged).
 *
 * @param dst destination MAC
 * @param src source MAC
 * @param etherType EtherType of the payload (the inner one when tagged)
 * @param vlanTci 802.1Q tag control information (PCP, DEI, VID), or {@link #NO_VLAN}
 */
public record EthernetRepr(MacAddress dst, MacAddress src, int etherType, int vlanTci) {
    /** {@code vlanTci} of an untagged frame. */
    public static final int NO_VLAN = -1;

    /** Validates the components. */
    public EthernetRepr {
        if (dst == null || src == null) {
            throw new IllegalArgumentException("Ethernet addresses must not be null");
        }
        if (etherType < 0 || etherType > 0xffff) {
            throw new IllegalArgumentException("EtherType out of range: " + etherType);
        }
        if (vlanTci != NO_VLAN && (vlanTci < 0 || vlanTci > 0xffff)) {
            throw new IllegalArgumentException("VLAN TCI out of range: " + vlanTci);
        }
    }

    /** An untagged header. */
    public EthernetRepr(MacAddress dst, MacAddress src, int etherType) {
        this(dst, src, etherType, NO_VLAN);
    }

    /** Parses a frame (checking it); a frame with two tags (QinQ) is {@code UNSUPPORTED}. */
    public static EthernetRepr parse(EthernetFrame f) {
        f.checkLen();
        if (!f.hasVlanTag()) {
            return new EthernetRepr(MacAddress.of(f.dst()), MacAddress.of(f.src()), f.etherType(), NO_VLAN);
        }
        if (f.etherType() != EtherType.VLAN || f.headerLen() != EthernetFrame.HEADER_LEN + EthernetFrame.VLAN_TAG_LEN) {
            throw new MalformedPacketException("Ethernet", MalformedPacketException.Reason.UNSUPPORTED,
                    "only a single 802.1Q tag is modelled");
        }
        return new EthernetRepr(MacAddress.of(f.dst()), MacAddress.of(f.src()), f.innerEtherType(), f.vlanTci());
    }

    /** True when the header carries an 802.1Q tag. */
    public boolean hasVlan() {
        return vlanTci != NO_VLAN;
    }

    /** The VLAN id, or -1 when untagged. */
    public int vlanId() {
        return hasVlan() ? vlanTci & 0x0fff : -1;
    }

    /** The header length this repr emits: 14, or 18 when tagged. */
    public int bufferLen() {
        return EthernetFrame.HEADER_LEN + (hasVlan() ? EthernetFrame.VLAN_TAG_LEN : 0);
    }

    /** Writes the header into the view's first {@link #bufferLen()} bytes. */
    public void emit(EthernetFrame f) {
        Bytes.checkEmitRoom("Ethernet", f.length(), bufferLen());
        byte[] b = f.buffer();
        int o = f.offset();
        f.setDst(dst.bits());
        f.setSrc(src.bits());
        if (hasVlan()) {
            Bytes.put16(b, o + 12, EtherType.VLAN);
            Bytes.put16(b, o + 14, vlanTci);
            Bytes.put16(b, o + 16, etherType);
        } else {
            Bytes.put16(b, o + 12, etherType);
        }
    }

    /** Writes the header at {@code off}. */
    public void emit(byte[] buf, int off) {
        emit(new EthernetFrame(buf, off, Math.min(bufferLen(), Math.max(0, buf.length - off))));
    }
}
