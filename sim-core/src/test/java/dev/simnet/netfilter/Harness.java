package dev.simnet.netfilter;

import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.packet.PacketBuffer;
import java.util.SplittableRandom;

/**
 * Drives a {@link Netfilter} through the hook sequence a namespace's IP layer would: forwarded
 * (PREROUTING, FORWARD, POSTROUTING), locally delivered (PREROUTING, INPUT) and locally sent
 * (OUTPUT, POSTROUTING). A "router" host: eth0 (1) 203.0.113.1 outside, br0 (2) 172.18.0.1 inside.
 */
public final class Harness {
    /** Outside interface index. */
    public static final int ETH0 = 1;
    /** Bridge interface index. */
    public static final int BR0 = 2;
    /** Loopback. */
    public static final int LO = 3;

    /** The host. */
    public final TestPackets.FakeHost host = new TestPackets.FakeHost()
            .iface(ETH0, "eth0", "203.0.113.1").iface(BR0, "br0", "172.18.0.1").iface(LO, "lo", "127.0.0.1");
    /** Its rules. */
    public final RuleSet rules = new RuleSet();
    /** The netfilter under test. */
    public Netfilter nf;
    /** Last verdict. */
    public int verdict;

    /** A harness with a conntrack table of {@code max} entries. */
    public Harness(int max) {
        nf = new Netfilter(host, rules, new ConntrackTable(max), new SplittableRandom(42));
    }

    /** A harness with the default table size. */
    public Harness() {
        this(ConntrackTable.DEFAULT_MAX);
    }

    /** Re-validates the rules after editing. */
    public Harness reload() {
        nf.load(rules);
        return this;
    }

    /** Forwards a packet from {@code in} to {@code out}; returns the packet as it leaves, or null if dropped. */
    public byte[] forward(byte[] pkt, int in, int out, long now) {
        PacketBuffer p = TestPackets.buf(pkt);
        p.ingressIfindex = in;
        verdict = nf.process(Hook.PREROUTING, p, in, 0, now);
        if (verdict != PacketFilter.ACCEPT) {
            return null;
        }
        verdict = nf.process(Hook.FORWARD, p, in, out, now);
        if (verdict != PacketFilter.ACCEPT) {
            return null;
        }
        verdict = nf.process(Hook.POSTROUTING, p, in, out, now);
        if (verdict != PacketFilter.ACCEPT) {
            return null;
        }
        return TestPackets.bytes(p);
    }

    /** Delivers a packet arriving on {@code in} locally; returns it as the socket layer sees it, or null. */
    public byte[] deliver(byte[] pkt, int in, long now) {
        PacketBuffer p = TestPackets.buf(pkt);
        verdict = nf.process(Hook.PREROUTING, p, in, 0, now);
        if (verdict != PacketFilter.ACCEPT) {
            return null;
        }
        verdict = nf.process(Hook.INPUT, p, in, 0, now);
        return verdict == PacketFilter.ACCEPT ? TestPackets.bytes(p) : null;
    }

    /** Sends a locally generated packet out of {@code out}; returns it as it leaves, or null. */
    public byte[] send(byte[] pkt, int out, long now) {
        PacketBuffer p = TestPackets.buf(pkt);
        verdict = nf.process(Hook.OUTPUT, p, 0, out, now);
        if (verdict != PacketFilter.ACCEPT) {
            return null;
        }
        verdict = nf.process(Hook.POSTROUTING, p, 0, out, now);
        return verdict == PacketFilter.ACCEPT ? TestPackets.bytes(p) : null;
    }

    /** Adds the usual masquerade rule: {@code -s 172.18.0.0/16 ! -o br0 -j MASQUERADE}. */
    public Harness masquerade() {
        rules.builtin(Table.NAT, Hook.POSTROUTING).append(new Target.Masquerade(0, 0, false, false),
                Match.Of.src("172.18.0.0/16"), Match.Of.notOut("br0"));
        return reload();
    }
}
