package dev.simnet.bench.nat;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.bench.BenchBase;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.Match;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.netfilter.NetfilterHost;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.Target;
import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.Tuple;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.wire.Checksum;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The NAT fast path: a packet of an established, masqueraded TCP flow crossing a router namespace
 * (PREROUTING, FORWARD, POSTROUTING) — conntrack lookup over primitive keys, rewrite, incremental
 * checksum update — in both directions, with a table holding {@code flows} other connections.
 */
public class NatBench extends BenchBase {
    static final int ETH0 = 1;
    static final int BR0 = 2;

    @Param({"1000"})
    public int flows;

    private Netfilter nf;
    private ConntrackTable table;
    private PacketBuffer out;
    private PacketBuffer back;
    private byte[] outTemplate;
    private byte[] backTemplate;
    private long now = 1_000_000_000L;
    private int cSrc;
    private int sDst;

    static final class Host implements NetfilterHost {
        private final PacketPool pool = new PacketPool(2048);

        @Override
        public String ifname(int ifindex) {
            return ifindex == ETH0 ? "eth0" : ifindex == BR0 ? "br0" : null;
        }

        @Override
        public boolean isLocalAddress(int address) {
            return address == 0xcb007101 || address == 0xac120001;
        }

        @Override
        public int masqueradeSource(int outIfindex, int dst) {
            return outIfindex == ETH0 ? 0xcb007101 : 0xac120001;
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

    static byte[] tcp(int src, int sport, int dst, int dport, int flags, int seq, int ack, int payload) {
        int len = 40 + payload;
        byte[] b = new byte[len];
        b[0] = 0x45;
        b[2] = (byte) (len >>> 8);
        b[3] = (byte) len;
        b[6] = 0x40;
        b[8] = 64;
        b[9] = 6;
        Ipv4Address.writeBits(src, b, 12);
        Ipv4Address.writeBits(dst, b, 16);
        int c = Checksum.compute(b, 0, 20);
        b[10] = (byte) (c >>> 8);
        b[11] = (byte) c;
        b[20] = (byte) (sport >>> 8);
        b[21] = (byte) sport;
        b[22] = (byte) (dport >>> 8);
        b[23] = (byte) dport;
        Ipv4Address.writeBits(seq, b, 24);
        Ipv4Address.writeBits(ack, b, 28);
        b[32] = 0x50;
        b[33] = (byte) flags;
        b[34] = (byte) 0xfa;
        int t = Checksum.finish(Checksum.sum(b, 20, len - 20, Checksum.pseudoHeaderSum(src, dst, 6, len - 20)));
        b[36] = (byte) (t >>> 8);
        b[37] = (byte) t;
        return b;
    }

    private void pass(PacketBuffer p, byte[] template, int in, int outIf) {
        System.arraycopy(template, 0, p.data(), p.start(), 40); // headers only: the payload is never rewritten
        p.ct = null;
        nf.process(Hook.PREROUTING, p, in, 0, now);
        nf.process(Hook.FORWARD, p, in, outIf, now);
        nf.process(Hook.POSTROUTING, p, in, outIf, now);
    }

    @Setup
    public void setup() {
        RuleSet rs = new RuleSet();
        rs.builtin(Table.NAT, Hook.POSTROUTING).append(new Target.Masquerade(0, 0, false, false),
                Match.Of.src("172.18.0.0/16"), Match.Of.notOut("br0"));
        rs.builtin(Table.FILTER, Hook.FORWARD).append(Target.ACCEPT, Match.Of.ctstate(Match.CT_ESTABLISHED | Match.CT_RELATED));
        table = new ConntrackTable();
        nf = new Netfilter(new Host(), rs, table, new SplittableRandom(1));
        cSrc = Ipv4Address.parseBits("172.18.0.2");
        sDst = Ipv4Address.parseBits("203.0.113.10");
        int masq = 0xcb007101;
        // background flows
        for (int i = 0; i < flows; i++) {
            PacketBuffer p = buf(tcp(cSrc + 1 + (i % 200), 20000 + i, sDst, 443, 0x02, 1, 0, 0));
            pass(p, java.util.Arrays.copyOfRange(p.data(), p.start(), p.end()), BR0, ETH0);
        }
        // the measured flow: handshake, then data both ways
        PacketBuffer syn = buf(tcp(cSrc, 40000, sDst, 80, 0x02, 100, 0, 0));
        pass(syn, tcp(cSrc, 40000, sDst, 80, 0x02, 100, 0, 0), BR0, ETH0);
        PacketBuffer sa = buf(tcp(sDst, 80, masq, 40000, 0x12, 900, 101, 0));
        pass(sa, tcp(sDst, 80, masq, 40000, 0x12, 900, 101, 0), ETH0, BR0);
        outTemplate = tcp(cSrc, 40000, sDst, 80, 0x10, 101, 901, 1000);
        backTemplate = tcp(sDst, 80, masq, 40000, 0x10, 901, 1101, 1000);
        out = buf(outTemplate);
        back = buf(backTemplate);
        pass(out, outTemplate, BR0, ETH0);
        pass(back, backTemplate, ETH0, BR0);
        ConntrackEntry e = table.find(Tuple.TCP, cSrc, sDst, 40000, 80, now);
        if (e == null || !e.has(ConntrackEntry.ASSURED) || !e.has(ConntrackEntry.SRC_NAT)) {
            throw new IllegalStateException("flow not established: " + table.list(now));
        }
    }

    private static PacketBuffer buf(byte[] b) {
        PacketBuffer p = PacketBuffer.copyOf(b, 0, b.length);
        p.networkOffset = p.start();
        return p;
    }

    /** One established packet each way through PREROUTING, FORWARD, POSTROUTING: result is per packet. */
    @Benchmark
    @OperationsPerInvocation(2)
    public int establishedFlowBothDirections() {
        pass(out, outTemplate, BR0, ETH0);
        pass(back, backTemplate, ETH0, BR0);
        return out.data()[out.start() + 12] + back.data()[back.start() + 19];
    }

    /**
     * The NAT fast path at one hook: a reply packet at PREROUTING — conntrack lookup, TCP state
     * update, destination rewrite with incremental IP and TCP checksum updates.
     */
    @Benchmark
    public int replyAtPrerouting() {
        System.arraycopy(backTemplate, 0, back.data(), back.start(), 40);
        back.ct = null;
        return nf.process(Hook.PREROUTING, back, ETH0, 0, now) + back.data()[back.start() + 19];
    }

    /** The conntrack hash lookup alone. */
    @Benchmark
    public ConntrackEntry conntrackLookup() {
        return table.find(Tuple.TCP, cSrc, sDst, 40000, 80, now);
    }
}
