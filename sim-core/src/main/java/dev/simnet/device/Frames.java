package dev.simnet.device;

import dev.simnet.addr.MacAddress;
import dev.simnet.wire.Bytes;
import dev.simnet.wire.Checksum;

/**
 * Static, allocation-free helpers for the few header fields the datapath reads and writes on
 * every packet (Ethernet II, ARP, IPv4, ICMP): offsets, IPv4 header writing and TTL decrement.
 * Byte access and the Internet checksum are {@link Bytes} and {@link Checksum} in
 * {@code dev.simnet.wire}, with the full zero-copy views and value records; these offsets are what
 * the forwarding path needs without creating a view.
 */
public final class Frames {
    private Frames() {
    }

    /** Ethernet II header length. */
    public static final int ETH_HLEN = 14;
    /** EtherType IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** EtherType ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** EtherType 802.1Q. */
    public static final int ETH_P_8021Q = 0x8100;
    /** ARP payload length for Ethernet/IPv4. */
    public static final int ARP_LEN = 28;
    /** ICMP header length (type, code, checksum, rest-of-header). */
    public static final int ICMP_HLEN = 8;

    /** True when the MAC's I/G bit marks a group (multicast or broadcast) address. */
    public static boolean isGroupMac(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    // ---- IPv4 header (RFC 791), offsets from the start of the IP header ----
    /** Version and IHL byte. */
    public static final int IP_VIHL = 0;
    /** Type of service. */
    public static final int IP_TOS = 1;
    /** Total length. */
    public static final int IP_LEN = 2;
    /** Identification. */
    public static final int IP_ID = 4;
    /** Flags and fragment offset. */
    public static final int IP_FRAG = 6;
    /** Time to live. */
    public static final int IP_TTL = 8;
    /** Protocol. */
    public static final int IP_PROTO = 9;
    /** Header checksum. */
    public static final int IP_CSUM = 10;
    /** Source address. */
    public static final int IP_SRC = 12;
    /** Destination address. */
    public static final int IP_DST = 16;
    /** The DF bit in the flags/offset field. */
    public static final int IP_DF = 0x4000;
    /** The MF bit in the flags/offset field. */
    public static final int IP_MF = 0x2000;
    /** Mask of the fragment offset (in 8-byte units). */
    public static final int IP_OFFMASK = 0x1fff;

    /** Header length in bytes. */
    public static int ipHeaderLength(byte[] b, int ip) {
        return (b[ip] & 0x0f) << 2;
    }

    /** Computes and stores the IPv4 header checksum. */
    public static void setIpChecksum(byte[] b, int ip) {
        Bytes.put16(b, ip + IP_CSUM, 0);
        Bytes.put16(b, ip + IP_CSUM, Checksum.compute(b, ip, ipHeaderLength(b, ip)));
    }

    /** Writes a 20-byte IPv4 header (no options) and its checksum. */
    public static void writeIpHeader(byte[] b, int ip, int tos, int totalLength, int id, int fragField, int ttl,
                                     int protocol, int src, int dst) {
        b[ip] = 0x45;
        b[ip + IP_TOS] = (byte) tos;
        Bytes.put16(b, ip + IP_LEN, totalLength);
        Bytes.put16(b, ip + IP_ID, id);
        Bytes.put16(b, ip + IP_FRAG, fragField);
        b[ip + IP_TTL] = (byte) ttl;
        b[ip + IP_PROTO] = (byte) protocol;
        Bytes.put32(b, ip + IP_SRC, src);
        Bytes.put32(b, ip + IP_DST, dst);
        setIpChecksum(b, ip);
    }

    /**
     * Decrements the TTL and patches the header checksum incrementally (RFC 1624, eqn. 3), as
     * Linux's {@code ip_decrease_ttl} does.
     */
    public static void decrementTtl(byte[] b, int ip) {
        int oldWord = Bytes.u16(b, ip + IP_TTL);
        b[ip + IP_TTL] = (byte) ((b[ip + IP_TTL] & 0xff) - 1);
        Checksum.update16(b, ip + IP_CSUM, oldWord, Bytes.u16(b, ip + IP_TTL));
    }

    /** True when the IPv4 header checksum verifies. */
    public static boolean ipChecksumOk(byte[] b, int ip, int hlen) {
        return Checksum.verify(b, ip, hlen);
    }

    /** Writes an Ethernet II header at {@code off}. */
    public static void writeEth(byte[] b, int off, long dst, long src, int type) {
        MacAddress.writeBits(dst, b, off);
        MacAddress.writeBits(src, b, off + 6);
        Bytes.put16(b, off + 12, type);
    }

    /** The Ethernet multicast MAC for an IPv4 group address (01:00:5e + low 23 bits). */
    public static long ipv4MulticastMac(int group) {
        return 0x0100_5e00_0000L | (group & 0x7f_ffff);
    }
}
