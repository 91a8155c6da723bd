package dev.simnet.netfilter.conntrack;

/**
 * The header fields netfilter and conntrack read from an IPv4 packet, parsed once per hook into
 * this reusable holder (no allocation). {@link #parse} validates lengths before any field is read;
 * a packet that fails is {@link #malformed} and is treated as INVALID, never a crash.
 */
public final class PacketHeaders {
    /** Reason the last parse failed, or null. */
    public String malformed;
    /** Offset of the IPv4 header. */
    public int ipOff;
    /** IPv4 header length in bytes. */
    public int ihl;
    /** Total length from the header. */
    public int totalLen;
    /** IP protocol. */
    public int proto;
    /** Source address bits. */
    public int src;
    /** Destination address bits. */
    public int dst;
    /** True for a non-first fragment (no L4 header). */
    public boolean laterFragment;
    /** Offset of the L4 header. */
    public int l4Off;
    /** True when the L4 header is complete (ports/type readable). */
    public boolean hasL4;
    /** TCP/UDP ports; for ICMP queries sport = id and dport = type<<8|code. */
    public int sport;
    /** Destination port, or ICMP type<<8|code. */
    public int dport;
    /** ICMP type, or -1. */
    public int icmpType;
    /** ICMP code, or -1. */
    public int icmpCode;
    /** TCP flags byte. */
    public int tcpFlags;
    /** TCP sequence number (unsigned, as long). */
    public long seq;
    /** TCP acknowledgement number. */
    public long ack;
    /** TCP/UDP payload length. */
    public int payloadLen;
    /** For ICMP errors: the quoted packet's tuple, if it could be read. */
    public boolean innerValid;
    /** Quoted packet: protocol. */
    public int innerProto;
    /** Quoted packet: source. */
    public int innerSrc;
    /** Quoted packet: destination. */
    public int innerDst;
    /** Quoted packet: source port / icmp id. */
    public int innerSport;
    /** Quoted packet: destination port / icmp type<<8|code. */
    public int innerDport;
    /** Offset of the quoted IPv4 header. */
    public int innerOff;

    /** TCP flag bits. */
    public static final int FIN = 0x01;
    /** SYN. */
    public static final int SYN = 0x02;
    /** RST. */
    public static final int RST = 0x04;
    /** ACK. */
    public static final int ACK = 0x10;

    /** Parses the IPv4 packet at {@code off} in {@code b}, with {@code limit} the end of valid bytes. Returns false if malformed. */
    public boolean parse(byte[] b, int off, int limit) {
        malformed = null;
        hasL4 = false;
        innerValid = false;
        icmpType = -1;
        icmpCode = -1;
        sport = 0;
        dport = 0;
        tcpFlags = 0;
        payloadLen = 0;
        ipOff = off;
        if (off < 0 || limit - off < 20) {
            malformed = "truncated IPv4 header";
            return false;
        }
        int v = b[off] & 0xff;
        if ((v >>> 4) != 4) {
            malformed = "not IPv4";
            return false;
        }
        ihl = (v & 0xf) * 4;
        totalLen = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if (ihl < 20 || totalLen < ihl || off + totalLen > limit) {
            malformed = "bad IPv4 lengths";
            return false;
        }
        proto = b[off + 9] & 0xff;
        src = rd32(b, off + 12);
        dst = rd32(b, off + 16);
        int frag = ((b[off + 6] & 0x1f) << 8) | (b[off + 7] & 0xff);
        laterFragment = frag != 0;
        l4Off = off + ihl;
        int end = off + totalLen;
        if (laterFragment) {
            return true;
        }
        int l4len = end - l4Off;
        switch (proto) {
            case Tuple.TCP:
                if (l4len >= 20) {
                    int doff = ((b[l4Off + 12] & 0xff) >>> 4) * 4;
                    if (doff < 20 || doff > l4len) {
                        malformed = "bad TCP data offset";
                        return false;
                    }
                    sport = rd16(b, l4Off);
                    dport = rd16(b, l4Off + 2);
                    seq = rd32(b, l4Off + 4) & 0xffffffffL;
                    ack = rd32(b, l4Off + 8) & 0xffffffffL;
                    tcpFlags = b[l4Off + 13] & 0xff;
                    payloadLen = l4len - doff;
                    hasL4 = true;
                } else {
                    malformed = "truncated TCP header";
                    return false;
                }
                break;
            case Tuple.UDP:
                if (l4len >= 8) {
                    sport = rd16(b, l4Off);
                    dport = rd16(b, l4Off + 2);
                    payloadLen = l4len - 8;
                    hasL4 = true;
                } else {
                    malformed = "truncated UDP header";
                    return false;
                }
                break;
            case Tuple.ICMP:
                if (l4len >= 8) {
                    icmpType = b[l4Off] & 0xff;
                    icmpCode = b[l4Off + 1] & 0xff;
                    hasL4 = true;
                    if (IcmpTypes.hasId(icmpType)) {
                        sport = rd16(b, l4Off + 4);
                        dport = (icmpType << 8) | icmpCode;
                    } else if (IcmpTypes.isError(icmpType)) {
                        parseInner(b, l4Off + 8, end);
                    }
                } else {
                    malformed = "truncated ICMP header";
                    return false;
                }
                break;
            default:
                hasL4 = true;
                break;
        }
        return true;
    }

    private void parseInner(byte[] b, int off, int end) {
        innerOff = off;
        if (end - off < 20) {
            return;
        }
        int v = b[off] & 0xff;
        int ih = (v & 0xf) * 4;
        if ((v >>> 4) != 4 || ih < 20 || end - off < ih) {
            return;
        }
        innerProto = b[off + 9] & 0xff;
        innerSrc = rd32(b, off + 12);
        innerDst = rd32(b, off + 16);
        int l4 = off + ih;
        innerSport = 0;
        innerDport = 0;
        if (innerProto == Tuple.TCP || innerProto == Tuple.UDP) {
            if (end - l4 < 8) {
                return;
            }
            innerSport = rd16(b, l4);
            innerDport = rd16(b, l4 + 2);
        } else if (innerProto == Tuple.ICMP) {
            if (end - l4 < 8) {
                return;
            }
            int t = b[l4] & 0xff;
            if (!IcmpTypes.hasId(t)) {
                return; // an error about an error: not tracked
            }
            innerSport = rd16(b, l4 + 4);
            innerDport = (t << 8) | (b[l4 + 1] & 0xff);
        }
        innerValid = true;
    }

    /** Reads a big-endian 16-bit value. */
    public static int rd16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** Reads a big-endian 32-bit value. */
    public static int rd32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** Writes a big-endian 16-bit value. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
