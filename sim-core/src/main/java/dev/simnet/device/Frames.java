package dev.simnet.device;

/**
 * Static, allocation-free accessors for the few header fields the datapath reads and writes on
 * every packet (Ethernet II, ARP, IPv4, ICMP), plus the Internet checksum (RFC 1071) and its
 * incremental update (RFC 1624). The full zero-copy views and value records live in
 * {@code dev.simnet.wire}; these offsets are what the forwarding path needs without creating a view.
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

    /** Big-endian 16 bits at {@code off}. */
    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** Writes big-endian 16 bits at {@code off}. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** Big-endian 32 bits at {@code off}. */
    public static int u32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** Writes big-endian 32 bits at {@code off}. */
    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** 48-bit MAC at {@code off} as a long. */
    public static long mac(byte[] b, int off) {
        return ((long) u16(b, off) << 32) | (u32(b, off + 2) & 0xffff_ffffL);
    }

    /** Writes a 48-bit MAC at {@code off}. */
    public static void putMac(byte[] b, int off, long mac) {
        put16(b, off, (int) (mac >>> 32));
        put32(b, off + 2, (int) mac);
    }

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
        put16(b, ip + IP_CSUM, 0);
        put16(b, ip + IP_CSUM, checksum(b, ip, ipHeaderLength(b, ip), 0));
    }

    /** Writes a 20-byte IPv4 header (no options) and its checksum. */
    public static void writeIpHeader(byte[] b, int ip, int tos, int totalLength, int id, int fragField, int ttl,
                                     int protocol, int src, int dst) {
        b[ip] = 0x45;
        b[ip + IP_TOS] = (byte) tos;
        put16(b, ip + IP_LEN, totalLength);
        put16(b, ip + IP_ID, id);
        put16(b, ip + IP_FRAG, fragField);
        b[ip + IP_TTL] = (byte) ttl;
        b[ip + IP_PROTO] = (byte) protocol;
        put32(b, ip + IP_SRC, src);
        put32(b, ip + IP_DST, dst);
        setIpChecksum(b, ip);
    }

    /**
     * Decrements the TTL and patches the header checksum incrementally (RFC 1624, eqn. 3), as
     * Linux's {@code ip_decrease_ttl} does.
     */
    public static void decrementTtl(byte[] b, int ip) {
        int oldWord = u16(b, ip + IP_TTL);
        b[ip + IP_TTL] = (byte) ((b[ip + IP_TTL] & 0xff) - 1);
        int newWord = u16(b, ip + IP_TTL);
        put16(b, ip + IP_CSUM, incrementalUpdate(u16(b, ip + IP_CSUM), oldWord, newWord));
    }

    /** RFC 1624: the new checksum after one 16-bit word changed from {@code oldWord} to {@code newWord}. */
    public static int incrementalUpdate(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /** The ones' complement sum of {@code len} bytes folded with {@code initial}, not yet inverted. */
    public static int sum(byte[] b, int off, int len, int initial) {
        long s = initial & 0xffffffffL;
        int i = off;
        int end = off + len - 1;
        while (i < end) {
            s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes, starting from a partial sum. */
    public static int checksum(byte[] b, int off, int len, int initial) {
        return ~sum(b, off, len, initial) & 0xffff;
    }

    /** True when the IPv4 header checksum verifies. */
    public static boolean ipChecksumOk(byte[] b, int ip, int hlen) {
        return sum(b, ip, hlen, 0) == 0xffff;
    }

    /** Writes an Ethernet II header at {@code off}. */
    public static void writeEth(byte[] b, int off, long dst, long src, int type) {
        putMac(b, off, dst);
        putMac(b, off + 6, src);
        put16(b, off + 12, type);
    }

    /** The Ethernet multicast MAC for an IPv4 group address (01:00:5e + low 23 bits). */
    public static long ipv4MulticastMac(int group) {
        return 0x0100_5e00_0000L | (group & 0x7f_ffff);
    }
}
