package dev.simnet.netfilter.nat;

/**
 * Internet checksum helpers for NAT: RFC 1624 incremental updates ({@code HC' = ~(~HC + ~m + m')})
 * of 16- and 32-bit fields, and a full recompute (used for ICMP errors and by tests).
 */
public final class Checksum16 {
    private Checksum16() {
    }

    /** Updates the checksum at {@code csumOff} for a 16-bit field changing from {@code from} to {@code to}. */
    public static void replace16(byte[] b, int csumOff, int from, int to) {
        int hc = ((b[csumOff] & 0xff) << 8) | (b[csumOff + 1] & 0xff);
        int sum = (~hc & 0xffff) + (~from & 0xffff) + (to & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        int r = ~sum & 0xffff;
        b[csumOff] = (byte) (r >>> 8);
        b[csumOff + 1] = (byte) r;
    }

    /** Updates the checksum at {@code csumOff} for a 32-bit field (an address) changing from {@code from} to {@code to}. */
    public static void replace32(byte[] b, int csumOff, int from, int to) {
        int hc = ((b[csumOff] & 0xff) << 8) | (b[csumOff + 1] & 0xff);
        int sum = (~hc & 0xffff) + (~(from >>> 16) & 0xffff) + (~from & 0xffff) + ((to >>> 16) & 0xffff) + (to & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        int r = ~sum & 0xffff;
        b[csumOff] = (byte) (r >>> 8);
        b[csumOff + 1] = (byte) r;
    }

    /** One's-complement sum of {@code len} bytes at {@code off}, added to {@code initial}, not folded/complemented. */
    public static long sum(byte[] b, int off, int len, long initial) {
        long s = initial;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            s += (b[off + i] & 0xff) << 8;
        }
        return s;
    }

    /** Folds a sum to 16 bits and complements it. */
    public static int finish(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /** The checksum of {@code len} bytes (field assumed zeroed or included). */
    public static int compute(byte[] b, int off, int len) {
        return finish(sum(b, off, len, 0));
    }

    /** Pseudo-header sum for TCP/UDP over IPv4. */
    public static long pseudo(int src, int dst, int proto, int l4len) {
        return ((src >>> 16) & 0xffff) + (src & 0xffff) + ((dst >>> 16) & 0xffff) + (dst & 0xffff) + proto + l4len;
    }

    /** Writes a 16-bit value big-endian. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
