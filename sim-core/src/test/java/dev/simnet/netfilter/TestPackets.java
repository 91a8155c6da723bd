package dev.simnet.netfilter;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.netfilter.conntrack.PacketHeaders;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.wire.Checksum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for test packets with valid checksums, checksum verifiers, and a fake namespace host. */
public final class TestPackets {
    private TestPackets() {
    }

    /** TCP flag bits. */
    public static final int FIN = 0x01;
    /** SYN. */
    public static final int SYN = 0x02;
    /** RST. */
    public static final int RST = 0x04;
    /** PSH. */
    public static final int PSH = 0x08;
    /** ACK. */
    public static final int ACK = 0x10;

    static int ip(String s) {
        return Ipv4Address.parseBits(s);
    }

    private static byte[] ipHeader(int len, int proto, String src, String dst, int ttl) {
        byte[] b = new byte[len];
        b[0] = 0x45;
        PacketHeaders.put16(b, 2, len);
        PacketHeaders.put16(b, 4, 0x1234);
        b[6] = 0x40;
        b[8] = (byte) ttl;
        b[9] = (byte) proto;
        Ipv4Address.writeBits(ip(src), b, 12);
        Ipv4Address.writeBits(ip(dst), b, 16);
        PacketHeaders.put16(b, 10, Checksum.compute(b, 0, 20));
        return b;
    }

    /** A TCP segment. */
    public static byte[] tcp(String src, int sport, String dst, int dport, int flags, long seq, long ack, int payloadLen) {
        int len = 20 + 20 + payloadLen;
        byte[] b = ipHeader(len, 6, src, dst, 64);
        PacketHeaders.put16(b, 20, sport);
        PacketHeaders.put16(b, 22, dport);
        Ipv4Address.writeBits((int) seq, b, 24);
        Ipv4Address.writeBits((int) ack, b, 28);
        b[32] = 0x50;
        b[33] = (byte) flags;
        PacketHeaders.put16(b, 34, 64240);
        for (int i = 0; i < payloadLen; i++) {
            b[40 + i] = (byte) (i * 7 + 3);
        }
        int c = Checksum.finish(Checksum.sum(b, 20, len - 20, Checksum.pseudoHeaderSum(ip(src), ip(dst), 6, len - 20)));
        PacketHeaders.put16(b, 36, c);
        return b;
    }

    /** A UDP datagram; {@code zeroChecksum} leaves the checksum 0 (none). */
    public static byte[] udp(String src, int sport, String dst, int dport, int payloadLen, boolean zeroChecksum) {
        int len = 20 + 8 + payloadLen;
        byte[] b = ipHeader(len, 17, src, dst, 64);
        PacketHeaders.put16(b, 20, sport);
        PacketHeaders.put16(b, 22, dport);
        PacketHeaders.put16(b, 24, 8 + payloadLen);
        for (int i = 0; i < payloadLen; i++) {
            b[28 + i] = (byte) (i * 13 + 1);
        }
        if (!zeroChecksum) {
            int c = Checksum.finish(Checksum.sum(b, 20, len - 20, Checksum.pseudoHeaderSum(ip(src), ip(dst), 17, len - 20)));
            PacketHeaders.put16(b, 26, c == 0 ? 0xffff : c);
        }
        return b;
    }

    /** A UDP datagram with a checksum. */
    public static byte[] udp(String src, int sport, String dst, int dport, int payloadLen) {
        return udp(src, sport, dst, dport, payloadLen, false);
    }

    /** An ICMP echo request (type 8) or reply (type 0). */
    public static byte[] icmpEcho(String src, String dst, int type, int id, int seq) {
        int len = 20 + 8 + 16;
        byte[] b = ipHeader(len, 1, src, dst, 64);
        b[20] = (byte) type;
        PacketHeaders.put16(b, 24, id);
        PacketHeaders.put16(b, 26, seq);
        for (int i = 0; i < 16; i++) {
            b[28 + i] = (byte) i;
        }
        PacketHeaders.put16(b, 22, Checksum.compute(b, 20, len - 20));
        return b;
    }

    /** An ICMP error (type/code) from {@code src} to {@code dst} quoting the first 28 bytes of {@code quoted}. */
    public static byte[] icmpError(String src, String dst, int type, int code, byte[] quoted) {
        int q = Math.min(quoted.length, 28);
        int len = 20 + 8 + q;
        byte[] b = ipHeader(len, 1, src, dst, 64);
        b[20] = (byte) type;
        b[21] = (byte) code;
        System.arraycopy(quoted, 0, b, 28, q);
        PacketHeaders.put16(b, 22, Checksum.compute(b, 20, len - 20));
        return b;
    }

    /** Wraps bytes in a buffer with the network offset set. */
    public static PacketBuffer buf(byte[] ip) {
        PacketBuffer p = PacketBuffer.copyOf(ip, 0, ip.length);
        p.networkOffset = p.start();
        return p;
    }

    /** Copies the IP packet out of a buffer. */
    public static byte[] bytes(PacketBuffer p) {
        return java.util.Arrays.copyOfRange(p.data(), p.networkOffset, p.end());
    }

    /** True when the IP header checksum and the L4 checksum (TCP, UDP unless zero, ICMP) verify by full recompute. */
    public static boolean checksumsValid(byte[] b) {
        int ihl = (b[0] & 0xf) * 4;
        int len = PacketHeaders.rd16(b, 2);
        if (!Checksum.verify(b, 0, ihl)) {
            return false;
        }
        int proto = b[9] & 0xff;
        int src = PacketHeaders.rd32(b, 12);
        int dst = PacketHeaders.rd32(b, 16);
        switch (proto) {
            case 6:
                return Checksum.sum(b, ihl, len - ihl, Checksum.pseudoHeaderSum(src, dst, 6, len - ihl)) == 0xffff;
            case 17:
                if (b[ihl + 6] == 0 && b[ihl + 7] == 0) {
                    return true;
                }
                return Checksum.sum(b, ihl, len - ihl, Checksum.pseudoHeaderSum(src, dst, 17, len - ihl)) == 0xffff;
            case 1:
                return Checksum.verify(b, ihl, len - ihl);
            default:
                return true;
        }
    }

    /** Source address text of an IP packet. */
    public static String src(byte[] b) {
        return Ipv4Address.format(PacketHeaders.rd32(b, 12));
    }

    /** Destination address text. */
    public static String dst(byte[] b) {
        return Ipv4Address.format(PacketHeaders.rd32(b, 16));
    }

    /** Source port (or ICMP id for echo). */
    public static int sport(byte[] b) {
        int ihl = (b[0] & 0xf) * 4;
        return (b[9] & 0xff) == 1 ? PacketHeaders.rd16(b, ihl + 4) : PacketHeaders.rd16(b, ihl);
    }

    /** Destination port. */
    public static int dport(byte[] b) {
        int ihl = (b[0] & 0xf) * 4;
        return PacketHeaders.rd16(b, ihl + 2);
    }

    /** A namespace stand-in: named interfaces, local addresses, MASQUERADE sources, a pool and the packets REJECT sent. */
    public static final class FakeHost implements NetfilterHost {
        /** ifindex → name. */
        public final Map<Integer, String> names = new HashMap<>();
        /** Local addresses. */
        public final Set<Integer> local = new HashSet<>();
        /** out ifindex → masquerade source. */
        public final Map<Integer, Integer> masq = new HashMap<>();
        /** Packets sent by REJECT. */
        public final List<byte[]> sent = new ArrayList<>();
        private final PacketPool pool = new PacketPool(2048);

        /** Adds interface {@code idx} called {@code name} with address {@code addr} (null for none). */
        public FakeHost iface(int idx, String name, String addr) {
            names.put(idx, name);
            if (addr != null) {
                local.add(ip(addr));
                masq.put(idx, ip(addr));
            }
            return this;
        }

        @Override
        public String ifname(int ifindex) {
            return names.get(ifindex);
        }

        @Override
        public boolean isLocalAddress(int address) {
            return local.contains(address);
        }

        @Override
        public int masqueradeSource(int outIfindex, int dst) {
            return masq.getOrDefault(outIfindex, 0);
        }

        @Override
        public void sendLocal(PacketBuffer p, long now) {
            sent.add(bytes(p));
            p.release();
        }

        @Override
        public PacketPool pool() {
            return pool;
        }
    }
}
