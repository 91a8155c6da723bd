package dev.simnet.host;

/**
 * The few header accessors and the internet checksum (RFC 1071) the host stack needs. Big-endian
 * reads and writes on a byte array; the pseudo-header sum follows RFC 793 / RFC 768.
 */
final class Inet {
    private Inet() {
    }

    static int u8(byte[] b, int o) {
        return b[o] & 0xff;
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    static int i32(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    static void w16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    static void w32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    /** One's-complement sum of {@code len} bytes (not folded, not inverted). */
    static long sum(byte[] b, int off, int len) {
        long s = 0;
        int i = off;
        int end = off + len - 1;
        while (i < end) {
            s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** The checksum field value for a transport segment with the IPv4 pseudo-header. */
    static int transportChecksum(byte[] b, int off, int len, int src, int dst, int proto) {
        long s = sum(b, off, len);
        s += (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
        return ~fold(s) & 0xffff;
    }

    /** True when a segment (checksum field included) sums to 0xffff with the pseudo-header. */
    static boolean transportChecksumOk(byte[] b, int off, int len, int src, int dst, int proto) {
        long s = sum(b, off, len);
        s += (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
        return fold(s) == 0xffff;
    }

    /** The ICMP checksum (no pseudo-header). */
    static int checksum(byte[] b, int off, int len) {
        return ~fold(sum(b, off, len)) & 0xffff;
    }
}
