package dev.simnet.props;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.Match;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.netfilter.NetfilterHost;
import dev.simnet.netfilter.PacketFilter;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.Target;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.PacketHeaders;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.wire.Checksum;
import java.util.SplittableRandom;

/**
 * A masquerading router namespace for property tests: br0 (172.18.0.1, containers behind it) and
 * eth0 (203.0.113.1, the outside), with Docker's {@code -s 172.18.0.0/16 ! -o br0 -j MASQUERADE}.
 * Packets are driven through PREROUTING, FORWARD and POSTROUTING as the IP layer would.
 */
final class NatRouter {
    static final int ETH0 = 1;
    static final int BR0 = 2;
    static final int MASQ = Ipv4Address.parseBits("203.0.113.1");

    final Netfilter nf;
    final ConntrackTable table;

    NatRouter(int maxEntries, long seed) {
        this(maxEntries, seed, true);
    }

    NatRouter(int maxEntries, long seed, boolean masquerade) {
        RuleSet rs = new RuleSet();
        if (masquerade) {
            rs.builtin(Table.NAT, Hook.POSTROUTING).append(new Target.Masquerade(0, 0, false, false),
                    Match.Of.src("172.18.0.0/16"), Match.Of.notOut("br0"));
        }
        table = new ConntrackTable(maxEntries);
        nf = new Netfilter(new Host(), rs, table, new SplittableRandom(seed));
    }

    static final class Host implements NetfilterHost {
        private final PacketPool pool = new PacketPool(2048);

        @Override
        public String ifname(int ifindex) {
            return ifindex == ETH0 ? "eth0" : ifindex == BR0 ? "br0" : null;
        }

        @Override
        public boolean isLocalAddress(int a) {
            return a == MASQ || a == Ipv4Address.parseBits("172.18.0.1");
        }

        @Override
        public int masqueradeSource(int outIfindex, int dst) {
            return outIfindex == ETH0 ? MASQ : Ipv4Address.parseBits("172.18.0.1");
        }

        @Override
        public void sendLocal(PacketBuffer p, long now) {
            p.release();
        }

        @Override
        public PacketPool pool() {
            return pool;
        }
    }

    /** Forwards {@code pkt}; returns the packet as it leaves, or null when dropped. */
    byte[] forward(byte[] pkt, int in, int out, long now) {
        PacketBuffer p = PacketBuffer.copyOf(pkt, 0, pkt.length);
        p.networkOffset = p.start();
        if (nf.process(Hook.PREROUTING, p, in, 0, now) != PacketFilter.ACCEPT
                || nf.process(Hook.FORWARD, p, in, out, now) != PacketFilter.ACCEPT
                || nf.process(Hook.POSTROUTING, p, in, out, now) != PacketFilter.ACCEPT) {
            return null;
        }
        return java.util.Arrays.copyOfRange(p.data(), p.networkOffset, p.end());
    }

    /** The packet of {@code f} in its original direction (TCP SYN, UDP datagram, ICMP echo request). */
    static byte[] packet(Flow f) {
        return build(f.proto(), f.src(), f.sport(), f.dst(), f.dport(), f.proto() == 6 ? 0x02 : 8);
    }

    /** A TCP segment with explicit sequence and acknowledgement numbers and no payload. */
    static byte[] tcp(int src, int sport, int dst, int dport, int flags, int seq, int ack) {
        int len = 40;
        byte[] b = new byte[len];
        b[0] = 0x45;
        PacketHeaders.put16(b, 2, len);
        b[8] = 64;
        b[9] = 6;
        Ipv4Address.writeBits(src, b, 12);
        Ipv4Address.writeBits(dst, b, 16);
        PacketHeaders.put16(b, 10, Checksum.compute(b, 0, 20));
        PacketHeaders.put16(b, 20, sport);
        PacketHeaders.put16(b, 22, dport);
        Ipv4Address.writeBits(seq, b, 24);
        Ipv4Address.writeBits(ack, b, 28);
        b[32] = 0x50;
        b[33] = (byte) flags;
        PacketHeaders.put16(b, 34, 1000);
        PacketHeaders.put16(b, 36, Checksum.finish(Checksum.sum(b, 20, 20, Checksum.pseudoHeaderSum(src, dst, 6, 20))));
        return b;
    }

    /** A packet with these fields: TCP with {@code flagsOrType} flags, UDP, or ICMP echo of that type (sport = id). */
    static byte[] build(int proto, int src, int sport, int dst, int dport, int flagsOrType) {
        int l4 = proto == 6 ? 20 : 8;
        int len = 20 + l4 + 8;
        byte[] b = new byte[len];
        b[0] = 0x45;
        PacketHeaders.put16(b, 2, len);
        b[8] = 64;
        b[9] = (byte) proto;
        Ipv4Address.writeBits(src, b, 12);
        Ipv4Address.writeBits(dst, b, 16);
        PacketHeaders.put16(b, 10, Checksum.compute(b, 0, 20));
        for (int i = 20 + l4; i < len; i++) {
            b[i] = (byte) (i * 31);
        }
        if (proto == 6) {
            PacketHeaders.put16(b, 20, sport);
            PacketHeaders.put16(b, 22, dport);
            Ipv4Address.writeBits(1000, b, 24);
            Ipv4Address.writeBits((flagsOrType & 0x10) != 0 ? 2000 : 0, b, 28);
            b[32] = 0x50;
            b[33] = (byte) flagsOrType;
            PacketHeaders.put16(b, 34, 1000);
            PacketHeaders.put16(b, 36, Checksum.finish(Checksum.sum(b, 20, len - 20, Checksum.pseudoHeaderSum(src, dst, 6, len - 20))));
        } else if (proto == 17) {
            PacketHeaders.put16(b, 20, sport);
            PacketHeaders.put16(b, 22, dport);
            PacketHeaders.put16(b, 24, len - 20);
            int c = Checksum.finish(Checksum.sum(b, 20, len - 20, Checksum.pseudoHeaderSum(src, dst, 17, len - 20)));
            PacketHeaders.put16(b, 26, c == 0 ? 0xffff : c);
        } else {
            b[20] = (byte) flagsOrType;
            PacketHeaders.put16(b, 24, sport);
            PacketHeaders.put16(b, 22, Checksum.compute(b, 20, len - 20));
        }
        return b;
    }

    /** The header fields of a packet, as a flow (ICMP: sport = id, dport = 0). */
    static Flow read(byte[] b) {
        int proto = b[9] & 0xff;
        int src = PacketHeaders.rd32(b, 12);
        int dst = PacketHeaders.rd32(b, 16);
        if (proto == 1) {
            return new Flow(proto, src, PacketHeaders.rd16(b, 24), dst, 0);
        }
        return new Flow(proto, src, PacketHeaders.rd16(b, 20), dst, PacketHeaders.rd16(b, 22));
    }

    /** True when the IP and L4 checksums verify by full recomputation. */
    static boolean checksumsValid(byte[] b) {
        int len = b.length;
        if (!Checksum.verify(b, 0, 20)) {
            return false;
        }
        int proto = b[9] & 0xff;
        int src = PacketHeaders.rd32(b, 12);
        int dst = PacketHeaders.rd32(b, 16);
        if (proto == 1) {
            return Checksum.verify(b, 20, len - 20);
        }
        return Checksum.sum(b, 20, len - 20, Checksum.pseudoHeaderSum(src, dst, proto, len - 20)) == 0xffff;
    }
}
