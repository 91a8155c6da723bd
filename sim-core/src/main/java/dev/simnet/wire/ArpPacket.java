package dev.simnet.wire;

/**
 * Zero-copy view of an ARP packet (RFC 826) for Ethernet and IPv4 only, the one pairing the
 * kernel's {@code arp_rcv} handles for simnet's devices: 28 bytes.
 *
 * <pre>
 *  0       2       4   5   6       8            14       18           24       28
 * | htype | ptype |hln|pln| oper  | sha (6)    | spa(4) | tha (6)    | tpa(4) |
 * </pre>
 */
public final class ArpPacket extends View {
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LEN = 28;
    /** Hardware type Ethernet. */
    public static final int HTYPE_ETHERNET = 1;
    /** Operation: request. */
    public static final int OP_REQUEST = 1;
    /** Operation: reply. */
    public static final int OP_REPLY = 2;

    private static final int HTYPE = 0;
    private static final int PTYPE = 2;
    private static final int HLEN = 4;
    private static final int PLEN = 5;
    private static final int OPER = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;
    private static final String FORMAT = "ARP";

    /** An unbound view; call {@link #wrap} before use. */
    public ArpPacket() {
    }

    /** A view over {@code len} bytes at {@code off} (unchecked). */
    public ArpPacket(byte[] buf, int off, int len) {
        wrap(buf, off, len);
    }

    /** Rebinds this view without checking content, and returns it. */
    public ArpPacket wrap(byte[] buf, int off, int len) {
        bind(buf, off, len);
        return this;
    }

    /** A new validated view; throws {@link MalformedPacketException}. */
    public static ArpPacket wrapChecked(byte[] buf, int off, int len) {
        return new ArpPacket(buf, off, len).checkLen();
    }

    /**
     * 0 when the bytes are a 28-byte Ethernet/IPv4 ARP packet; {@code TRUNCATED} when shorter,
     * {@code UNSUPPORTED} for other hardware/protocol types or address lengths.
     */
    public static int validate(byte[] buf, int off, int len) {
        if (len < LEN) {
            return MalformedPacketException.TRUNCATED;
        }
        if (Bytes.u16(buf, off + HTYPE) != HTYPE_ETHERNET || Bytes.u16(buf, off + PTYPE) != EtherType.IPV4
                || Bytes.u8(buf, off + HLEN) != 6 || Bytes.u8(buf, off + PLEN) != 4) {
            return MalformedPacketException.UNSUPPORTED;
        }
        return MalformedPacketException.OK;
    }

    /** Validates the wrapped bytes; returns this view or throws {@link MalformedPacketException}. */
    public ArpPacket checkLen() {
        int r = validate(buf, off, len);
        if (r != 0) {
            throw MalformedPacketException.ofCode(FORMAT, r, r == MalformedPacketException.TRUNCATED
                    ? len + " bytes, need " + LEN : "only Ethernet/IPv4 ARP is modelled");
        }
        return this;
    }

    /** Hardware type (1 = Ethernet). */
    public int htype() {
        return Bytes.u16(buf, off + HTYPE);
    }

    /** Sets the hardware type. */
    public void setHtype(int v) {
        Bytes.put16(buf, off + HTYPE, v);
    }

    /** Protocol type (0x0800 = IPv4). */
    public int ptype() {
        return Bytes.u16(buf, off + PTYPE);
    }

    /** Sets the protocol type. */
    public void setPtype(int v) {
        Bytes.put16(buf, off + PTYPE, v);
    }

    /** Hardware address length (6). */
    public int hlen() {
        return Bytes.u8(buf, off + HLEN);
    }

    /** Sets the hardware address length. */
    public void setHlen(int v) {
        Bytes.put8(buf, off + HLEN, v);
    }

    /** Protocol address length (4). */
    public int plen() {
        return Bytes.u8(buf, off + PLEN);
    }

    /** Sets the protocol address length. */
    public void setPlen(int v) {
        Bytes.put8(buf, off + PLEN, v);
    }

    /** Operation ({@link #OP_REQUEST}, {@link #OP_REPLY}). */
    public int op() {
        return Bytes.u16(buf, off + OPER);
    }

    /** Sets the operation. */
    public void setOp(int v) {
        Bytes.put16(buf, off + OPER, v);
    }

    /** Sender hardware address (48 bits). */
    public long sha() {
        return MacAddress48.read(buf, off + SHA);
    }

    /** Sets the sender hardware address. */
    public void setSha(long mac) {
        MacAddress48.write(mac, buf, off + SHA);
    }

    /** Sender protocol address (IPv4 bits). */
    public int spa() {
        return Bytes.i32(buf, off + SPA);
    }

    /** Sets the sender protocol address. */
    public void setSpa(int ip) {
        Bytes.put32(buf, off + SPA, ip);
    }

    /** Target hardware address (48 bits; zero in a request). */
    public long tha() {
        return MacAddress48.read(buf, off + THA);
    }

    /** Sets the target hardware address. */
    public void setTha(long mac) {
        MacAddress48.write(mac, buf, off + THA);
    }

    /** Target protocol address (IPv4 bits). */
    public int tpa() {
        return Bytes.i32(buf, off + TPA);
    }

    /** Sets the target protocol address. */
    public void setTpa(int ip) {
        Bytes.put32(buf, off + TPA, ip);
    }
}
