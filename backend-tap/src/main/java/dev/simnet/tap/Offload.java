package dev.simnet.tap;

import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.wire.Checksum;

/**
 * Software completion of the offloads a TAP with {@code IFF_VNET_HDR} hands over
 * ({@code include/uapi/linux/virtio_net.h}): a partial checksum ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM},
 * finished as {@code skb_checksum_help} does) and TCP/IPv4 segmentation of a super-frame into
 * {@code gso_size} pieces (as {@code tcp_gso_segment}: IP id incremented per segment, sequence numbers
 * advanced, FIN and PSH only on the last segment, CWR only on the first, checksums recomputed). Used
 * for frames the engine must route, NAT or deliver locally; frames only switched by the bridge to
 * another TAP keep their offload. Allocates nothing beyond the pool's buffers.
 */
public final class Offload {
    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_GSO_NONE}. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_ECN} bit. */
    public static final int GSO_ECN = 0x80;
    /** Size of {@code struct virtio_net_hdr}. */
    public static final int VNET_HDR_LEN = 10;

    private Offload() {
    }

    /** Packs the header fields other than gso_size into {@link PacketBuffer#offload}. */
    public static long pack(int flags, int gsoType, int hdrLen, int csumStart, int csumOffset) {
        return (flags & 0xffL) | (gsoType & 0xffL) << 8 | (hdrLen & 0xffffL) << 16 | (csumStart & 0xffffL) << 32
                | (csumOffset & 0xffffL) << 48;
    }

    static int flags(long o) {
        return (int) (o & 0xff);
    }

    static int gsoType(long o) {
        return (int) (o >>> 8) & 0xff;
    }

    static int hdrLen(long o) {
        return (int) (o >>> 16) & 0xffff;
    }

    static int csumStart(long o) {
        return (int) (o >>> 32) & 0xffff;
    }

    static int csumOffset(long o) {
        return (int) (o >>> 48) & 0xffff;
    }

    /**
     * Finishes {@code f} into ordinary frames: {@code out[0..n)} (n returned, {@code f} itself when no
     * segmentation is needed, else fresh pool buffers and {@code f} released). Returns 0, releasing
     * {@code f}, when the frame cannot be completed (not TCP/IPv4 but GSO, or malformed).
     */
    public static int complete(PacketBuffer f, PacketPool pool, PacketBuffer[] out) {
        long o = f.offload;
        int gso = f.gsoSize;
        f.offload = 0;
        f.gsoSize = 0;
        byte[] d = f.data();
        int s = f.start();
        int len = f.length();
        int type = gsoType(o) & ~GSO_ECN;
        if (type == GSO_NONE || gso == 0) {
            if ((flags(o) & F_NEEDS_CSUM) != 0) {
                int cs = csumStart(o);
                int co = csumOffset(o);
                if (cs + co + 2 > len) {
                    f.release();
                    return 0;
                }
                int sum = Checksum.sum(d, s + cs, len - cs);
                int c = ~sum & 0xffff;
                if (c == 0) {
                    c = 0xffff;
                }
                d[s + cs + co] = (byte) (c >>> 8);
                d[s + cs + co + 1] = (byte) c;
            }
            out[0] = f;
            return 1;
        }
        if (type != GSO_TCPV4 || len < 14 + 20 + 20 || (d[s + 12] & 0xff) != 0x08 || d[s + 13] != 0x00) {
            f.release();
            return 0;
        }
        int ip = s + 14;
        int ihl = (d[ip] & 0x0f) * 4;
        if (ihl < 20 || d[ip + 9] != 6 || 14 + ihl + 20 > len) {
            f.release();
            return 0;
        }
        int tcp = ip + ihl;
        int thl = ((d[tcp + 12] >>> 4) & 0x0f) * 4;
        int hdrs = 14 + ihl + thl;
        if (thl < 20 || hdrs > len) {
            f.release();
            return 0;
        }
        int payload = len - hdrs;
        int segs = (payload + gso - 1) / gso;
        if (segs > out.length || segs == 0) {
            f.release();
            return 0;
        }
        int id = ((d[ip + 4] & 0xff) << 8) | (d[ip + 5] & 0xff);
        int seq = ((d[tcp + 4] & 0xff) << 24) | ((d[tcp + 5] & 0xff) << 16) | ((d[tcp + 6] & 0xff) << 8) | (d[tcp + 7] & 0xff);
        int tcpFlags = d[tcp + 13] & 0xff;
        int src = ((d[ip + 12] & 0xff) << 24) | ((d[ip + 13] & 0xff) << 16) | ((d[ip + 14] & 0xff) << 8) | (d[ip + 15] & 0xff);
        int dst = ((d[ip + 16] & 0xff) << 24) | ((d[ip + 17] & 0xff) << 16) | ((d[ip + 18] & 0xff) << 8) | (d[ip + 19] & 0xff);
        for (int k = 0; k < segs; k++) {
            int off = k * gso;
            int n = Math.min(gso, payload - off);
            PacketBuffer g = pool.acquire();
            g.setLength(hdrs + n);
            byte[] e = g.data();
            int b = g.start();
            System.arraycopy(d, s, e, b, hdrs);
            System.arraycopy(d, s + hdrs + off, e, b + hdrs, n);
            g.ingressIfindex = f.ingressIfindex;
            g.mark = f.mark;
            int gip = b + 14;
            int total = ihl + thl + n;
            e[gip + 2] = (byte) (total >>> 8);
            e[gip + 3] = (byte) total;
            int gid = (id + k) & 0xffff;
            e[gip + 4] = (byte) (gid >>> 8);
            e[gip + 5] = (byte) gid;
            e[gip + 10] = 0;
            e[gip + 11] = 0;
            int ipc = Checksum.compute(e, gip, ihl);
            e[gip + 10] = (byte) (ipc >>> 8);
            e[gip + 11] = (byte) ipc;
            int gt = gip + ihl;
            int sq = seq + off;
            e[gt + 4] = (byte) (sq >>> 24);
            e[gt + 5] = (byte) (sq >>> 16);
            e[gt + 6] = (byte) (sq >>> 8);
            e[gt + 7] = (byte) sq;
            int fl = tcpFlags;
            if (k < segs - 1) {
                fl &= ~(0x01 | 0x08); // FIN, PSH on the last segment only
            }
            if (k > 0) {
                fl &= ~0x80; // CWR on the first only
            }
            e[gt + 13] = (byte) fl;
            e[gt + 16] = 0;
            e[gt + 17] = 0;
            int pseudo = Checksum.pseudoHeaderSum(src, dst, 6, thl + n);
            int tc = Checksum.finish(Checksum.sum(e, gt, thl + n, pseudo));
            e[gt + 16] = (byte) (tc >>> 8);
            e[gt + 17] = (byte) tc;
            out[k] = g;
        }
        f.release();
        return segs;
    }
}
