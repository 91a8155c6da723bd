package dev.simnet.capture;

/** Hand-built Ethernet frames (ARP, IPv4/ICMP, IPv4/UDP) for capture tests. */
final class Frames {
    static final byte[] MAC_A = mac(0x02, 0x42, 0xac, 0x11, 0x00, 0x02);
    static final byte[] MAC_B = mac(0x02, 0x42, 0xac, 0x11, 0x00, 0x03);
    static final byte[] BROADCAST = mac(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    static final byte[] MCAST = mac(0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb);

    private Frames() {
    }

    static byte[] mac(int... b) {
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) b[i];
        }
        return m;
    }

    static byte[] ip(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static void ethHeader(byte[] f, byte[] dst, byte[] src, int type) {
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) (type >>> 8);
        f[13] = (byte) type;
    }

    /** ARP request "who has tpa? tell spa" (RFC 826), broadcast. */
    static byte[] arpRequest(byte[] sha, byte[] spa, byte[] tpa) {
        byte[] f = new byte[42];
        ethHeader(f, BROADCAST, sha, 0x0806);
        int o = 14;
        f[o + 1] = 1; // htype Ethernet
        f[o + 2] = 0x08; // ptype IPv4
        f[o + 4] = 6;
        f[o + 5] = 4;
        f[o + 7] = 1; // request
        System.arraycopy(sha, 0, f, o + 8, 6);
        System.arraycopy(spa, 0, f, o + 14, 4);
        System.arraycopy(tpa, 0, f, o + 24, 4);
        return f;
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static int ipv4Header(byte[] f, int proto, byte[] src, byte[] dst, int payloadLen) {
        int o = 14;
        f[o] = 0x45;
        int total = 20 + payloadLen;
        f[o + 2] = (byte) (total >>> 8);
        f[o + 3] = (byte) total;
        f[o + 4] = 0x12;
        f[o + 5] = 0x34;
        f[o + 6] = 0x40; // DF
        f[o + 8] = 64;
        f[o + 9] = (byte) proto;
        System.arraycopy(src, 0, f, o + 12, 4);
        System.arraycopy(dst, 0, f, o + 16, 4);
        int c = checksum(f, o, 20);
        f[o + 10] = (byte) (c >>> 8);
        f[o + 11] = (byte) c;
        return o + 20;
    }

    /** ICMP echo request (RFC 792) with an 8-byte payload. */
    static byte[] icmpEcho(byte[] dstMac, byte[] srcMac, byte[] src, byte[] dst, int id, int seq) {
        byte[] f = new byte[14 + 20 + 16];
        ethHeader(f, dstMac, srcMac, 0x0800);
        int o = ipv4Header(f, 1, src, dst, 16);
        f[o] = 8;
        f[o + 4] = (byte) (id >>> 8);
        f[o + 5] = (byte) id;
        f[o + 6] = (byte) (seq >>> 8);
        f[o + 7] = (byte) seq;
        for (int i = 0; i < 8; i++) {
            f[o + 8 + i] = (byte) ('a' + i);
        }
        int c = checksum(f, o, 16);
        f[o + 2] = (byte) (c >>> 8);
        f[o + 3] = (byte) c;
        return f;
    }

    /** UDP datagram (RFC 768) with checksum 0 (none). */
    static byte[] udp(byte[] dstMac, byte[] srcMac, byte[] src, byte[] dst, int sport, int dport, byte[] payload) {
        byte[] f = new byte[14 + 20 + 8 + payload.length];
        ethHeader(f, dstMac, srcMac, 0x0800);
        int o = ipv4Header(f, 17, src, dst, 8 + payload.length);
        f[o] = (byte) (sport >>> 8);
        f[o + 1] = (byte) sport;
        f[o + 2] = (byte) (dport >>> 8);
        f[o + 3] = (byte) dport;
        int l = 8 + payload.length;
        f[o + 4] = (byte) (l >>> 8);
        f[o + 5] = (byte) l;
        System.arraycopy(payload, 0, f, o + 8, payload.length);
        return f;
    }
}
