package dev.simnet.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.wire.Checksum;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Software completion of virtio_net_hdr offloads on byte fixtures: partial checksums and TCP segmentation. */
class OffloadTest {
    private static final int SRC = 0xac120002; // 172.18.0.2
    private static final int DST = 0xcb000150; // 203.0.113.80
    private final PacketPool pool = new PacketPool(70000);

    /** Ethernet + IPv4 (20) + TCP (32, with options) + payload, checksums as the sender leaves them: partial. */
    private static byte[] tcpSuperFrame(int payloadLen, int tcpFlags) {
        int thl = 32;
        byte[] f = new byte[14 + 20 + thl + payloadLen];
        f[12] = 0x08;
        int ip = 14;
        f[ip] = 0x45;
        int total = 20 + thl + payloadLen;
        f[ip + 2] = (byte) (total >>> 8);
        f[ip + 3] = (byte) total;
        f[ip + 4] = 0x12;
        f[ip + 5] = 0x34;
        f[ip + 6] = 0x40; // DF
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        putInt(f, ip + 12, SRC);
        putInt(f, ip + 16, DST);
        int ipc = Checksum.compute(f, ip, 20);
        f[ip + 10] = (byte) (ipc >>> 8);
        f[ip + 11] = (byte) ipc;
        int t = ip + 20;
        f[t] = (byte) 0xa0;
        f[t + 1] = 0x01;
        f[t + 2] = 0x00;
        f[t + 3] = 0x50;
        putInt(f, t + 4, 0xfffff000); // sequence wraps inside the super-frame
        putInt(f, t + 8, 0x01020304);
        f[t + 12] = (byte) ((thl / 4) << 4);
        f[t + 13] = (byte) tcpFlags;
        f[t + 14] = (byte) 0xff;
        f[t + 15] = (byte) 0xff;
        f[t + 20] = 1; // NOP NOP timestamps
        f[t + 21] = 1;
        f[t + 22] = 8;
        f[t + 23] = 10;
        for (int i = 0; i < payloadLen; i++) {
            f[t + thl + i] = (byte) (i * 7 + 3);
        }
        // partial checksum: the pseudo-header sum over the whole super-frame, as the kernel leaves it
        int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, thl + payloadLen);
        f[t + 16] = (byte) (pseudo >>> 8);
        f[t + 17] = (byte) pseudo;
        return f;
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    private PacketBuffer buffer(byte[] f) {
        PacketBuffer b = pool.acquire();
        b.setLength(f.length);
        System.arraycopy(f, 0, b.data(), b.start(), f.length);
        return b;
    }

    @Test
    void tcpSuperFrameIsSegmentedAsTcpGsoSegmentDoes() {
        int mss = 1448;
        int payload = 3 * mss + 100;
        byte[] sf = tcpSuperFrame(payload, 0x18 | 0x01 | 0x80); // PSH ACK FIN CWR
        PacketBuffer b = buffer(sf);
        b.gsoSize = mss;
        b.offload = Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV4, 66, 34, 16);
        PacketBuffer[] out = new PacketBuffer[64];
        int n = Offload.complete(b, pool, out);
        assertEquals(4, n);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int k = 0; k < n; k++) {
            PacketBuffer g = out[k];
            byte[] d = g.data();
            int s = g.start();
            int seg = k < 3 ? mss : 100;
            assertEquals(14 + 20 + 32 + seg, g.length());
            int ip = s + 14;
            assertEquals(20 + 32 + seg, ((d[ip + 2] & 0xff) << 8) | (d[ip + 3] & 0xff), "IP total length");
            assertEquals(0x1234 + k, ((d[ip + 4] & 0xff) << 8) | (d[ip + 5] & 0xff), "IP id per segment");
            assertTrue(Checksum.verify(d, ip, 20), "IP checksum of segment " + k);
            int t = ip + 20;
            assertEquals(0xfffff000 + k * mss, getInt(d, t + 4), "sequence number");
            int flags = d[t + 13] & 0xff;
            assertEquals(k == 3, (flags & 0x01) != 0, "FIN on the last segment only");
            assertEquals(k == 3, (flags & 0x08) != 0, "PSH on the last segment only");
            assertEquals(k == 0, (flags & 0x80) != 0, "CWR on the first segment only");
            assertTrue((flags & 0x10) != 0, "ACK everywhere");
            int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, 32 + seg);
            assertEquals(0xffff, Checksum.sum(d, t, 32 + seg, pseudo), "TCP checksum of segment " + k);
            assertEquals(0, g.gsoSize);
            assertEquals(0, g.offload);
            joined.write(d, t + 32, seg);
            g.release();
        }
        byte[] expected = new byte[payload];
        System.arraycopy(sf, 14 + 20 + 32, expected, 0, payload);
        assertArrayEquals(expected, joined.toByteArray());
        assertEquals(0, pool.outstanding(), "every buffer returned");
    }

    @Test
    void partialChecksumIsFinishedAsSkbChecksumHelp() {
        byte[] sf = tcpSuperFrame(300, 0x18);
        PacketBuffer b = buffer(sf);
        b.offload = Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_NONE, 0, 34, 16);
        PacketBuffer[] out = new PacketBuffer[4];
        assertEquals(1, Offload.complete(b, pool, out));
        PacketBuffer g = out[0];
        int t = g.start() + 34;
        int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, 32 + 300);
        assertEquals(0xffff, Checksum.sum(g.data(), t, 32 + 300, pseudo));
        assertEquals(0, g.offload);
        g.release();
    }

    @Test
    void unsupportedOrMalformedSuperFramesAreDroppedNotThrown() {
        PacketBuffer[] out = new PacketBuffer[4];
        byte[] sf = tcpSuperFrame(3000, 0x10);
        sf[14 + 9] = 17; // says UDP
        PacketBuffer b = buffer(sf);
        b.gsoSize = 1448;
        b.offload = Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV4, 0, 34, 16);
        assertEquals(0, Offload.complete(b, pool, out));
        PacketBuffer tiny = buffer(new byte[20]);
        tiny.gsoSize = 1448;
        tiny.offload = Offload.pack(0, Offload.GSO_TCPV4, 0, 0, 0);
        assertEquals(0, Offload.complete(tiny, pool, out));
        PacketBuffer badCsum = buffer(new byte[40]);
        badCsum.offload = Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_NONE, 0, 30, 16);
        assertEquals(0, Offload.complete(badCsum, pool, out));
        assertEquals(0, pool.outstanding());
    }

    @Test
    void headerFieldsRoundTrip() {
        long o = Offload.pack(1, 0x81, 66, 34, 16);
        assertEquals(1, Offload.flags(o));
        assertEquals(0x81, Offload.gsoType(o));
        assertEquals(66, Offload.hdrLen(o));
        assertEquals(34, Offload.csumStart(o));
        assertEquals(16, Offload.csumOffset(o));
    }
}
