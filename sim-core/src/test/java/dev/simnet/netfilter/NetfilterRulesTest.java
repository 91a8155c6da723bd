package dev.simnet.netfilter;

import static dev.simnet.netfilter.TestPackets.ACK;
import static dev.simnet.netfilter.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.wire.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetfilterRulesTest {
    static final byte[] TCP_IN = TestPackets.tcp("198.51.100.7", 5555, "172.18.0.2", 80, SYN, 1, 0, 0);
    static final byte[] TCP_OUT = TestPackets.tcp("172.18.0.2", 40000, "203.0.113.10", 443, SYN, 1, 0, 0);

    private static boolean passes(Match m, byte[] pkt, int in, int out) {
        Harness h = new Harness();
        Chain f = h.rules.builtin(Table.FILTER, Hook.FORWARD);
        f.append(Target.DROP, m);
        h.reload();
        return h.forward(pkt, in, out, 0) == null;
    }

    @Test
    void eachMatcherWithAndWithoutNegation() {
        int e = Harness.ETH0;
        int b = Harness.BR0;
        assertTrue(passes(Match.Of.src("198.51.100.0/24"), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.src("198.51.101.0/24"), TCP_IN, e, b));
        assertTrue(passes(Match.Of.notSrc("10.0.0.0/8"), TCP_IN, e, b));
        assertTrue(passes(Match.Of.dst("172.18.0.2"), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.notDst("172.18.0.0/16"), TCP_IN, e, b));
        assertTrue(passes(Match.Of.in("eth0"), TCP_IN, e, b));
        assertTrue(passes(Match.Of.in("et+"), TCP_IN, e, b), "+ is a prefix wildcard");
        assertTrue(!passes(Match.Of.in("eth0"), TCP_IN, b, e));
        assertTrue(passes(Match.Of.notIn("br0"), TCP_IN, e, b));
        assertTrue(passes(Match.Of.out("br0"), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.notOut("br+"), TCP_IN, e, b));
        assertTrue(passes(Match.Of.proto("tcp"), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.proto("udp"), TCP_IN, e, b));
        assertTrue(passes(new Match.Protocol(17, true), TCP_IN, e, b));
        assertTrue(passes(Match.Of.dport(80), TCP_IN, e, b));
        assertTrue(passes(new Match.DestinationPort(1, 100, false), TCP_IN, e, b));
        assertTrue(!passes(new Match.DestinationPort(81, 100, false), TCP_IN, e, b));
        assertTrue(passes(new Match.DestinationPort(81, 100, true), TCP_IN, e, b));
        assertTrue(passes(new Match.SourcePort(5000, 6000, false), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.sport(5556), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.dport(0), TestPackets.icmpEcho("198.51.100.7", "172.18.0.2", 8, 1, 1), e, b),
                "port matches never hold for ICMP");
        assertTrue(passes(new Match.IcmpType(8, -1, false), TestPackets.icmpEcho("198.51.100.7", "172.18.0.2", 8, 1, 1), e, b));
        assertTrue(!passes(new Match.IcmpType(0, -1, false), TestPackets.icmpEcho("198.51.100.7", "172.18.0.2", 8, 1, 1), e, b));
        assertTrue(passes(new Match.IcmpType(8, 0, false), TestPackets.icmpEcho("198.51.100.7", "172.18.0.2", 8, 1, 1), e, b));
        assertTrue(passes(Match.Of.ctstate(Match.CT_NEW), TCP_IN, e, b));
        assertTrue(!passes(Match.Of.ctstate(Match.CT_ESTABLISHED | Match.CT_RELATED), TCP_IN, e, b));
        assertTrue(passes(Match.Of.ctstate(Match.CT_INVALID),
                TestPackets.tcp("198.51.100.7", 5555, "172.18.0.2", 80, SYN | ACK, 1, 1, 0), e, b),
                "a SYN/ACK cannot start a connection: INVALID");
        assertTrue(!passes(Match.Of.dstLocal(), TCP_IN, e, b));
        assertTrue(passes(Match.Of.dstLocal(), TestPackets.tcp("198.51.100.7", 5555, "203.0.113.1", 80, SYN, 1, 0, 0), e, b));
        assertTrue(passes(Match.Of.dstLocal(), TestPackets.tcp("198.51.100.7", 5555, "127.0.0.9", 80, SYN, 1, 0, 0), e, b),
                "all of 127/8 is local");
        assertTrue(passes(new Match.AddrTypeLocal(true, true), TCP_IN, e, b));
    }

    @Test
    void jumpsReturnsGotoAndPolicies() {
        Harness h = new Harness();
        RuleSet rs = h.rules;
        Chain fwd = rs.builtin(Table.FILTER, Hook.FORWARD);
        fwd.setPolicy(Target.DROP);
        Chain a = rs.newChain(Table.FILTER, "A");
        Chain b = rs.newChain(Table.FILTER, "B");
        fwd.append(new Target.Jump("A"));
        fwd.append(Target.ACCEPT, Match.Of.dport(443));
        a.append(Target.RETURN, Match.Of.dport(443));
        a.append(new Target.Goto("B"), Match.Of.dport(80));
        a.append(Target.ACCEPT, Match.Of.dport(22));
        b.append(Target.ACCEPT, Match.Of.src("198.51.100.0/24"));
        h.reload();
        assertNotNull(h.forward(TCP_IN, Harness.ETH0, Harness.BR0, 0), "A -g B, B accepts");
        assertNotNull(h.forward(TCP_OUT, Harness.BR0, Harness.ETH0, 0), "A returns early, FORWARD's next rule accepts 443");
        assertNull(h.forward(TestPackets.tcp("198.51.101.7", 5555, "172.18.0.2", 80, SYN, 1, 0, 0), Harness.ETH0, Harness.BR0, 0),
                "B ends without verdict: goto returns past A to FORWARD, which falls to policy DROP (the 443 rule does not match)");
        assertNotNull(h.forward(TestPackets.tcp("198.51.101.7", 5555, "172.18.0.2", 22, SYN, 1, 0, 0), Harness.ETH0, Harness.BR0, 0));
        assertNull(h.forward(TestPackets.tcp("198.51.101.7", 5555, "172.18.0.2", 23, SYN, 1, 0, 0), Harness.ETH0, Harness.BR0, 0));
        assertEquals(5, fwd.rules().get(0).packets(), "jump rule counted for every packet");
        assertEquals(2, fwd.policyPackets());
        assertEquals(40, b.rules().get(0).bytes());
        assertEquals(1, a.rules().get(0).packets());
    }

    @Test
    void validateRejectsUnknownChainsLoopsAndNatOutsideNat() {
        RuleSet rs = new RuleSet();
        rs.builtin(Table.FILTER, Hook.INPUT).append(new Target.Jump("NOPE"));
        assertThrows(IllegalStateException.class, rs::validate);
        RuleSet loop = new RuleSet();
        loop.newChain(Table.FILTER, "X").append(new Target.Jump("Y"));
        loop.newChain(Table.FILTER, "Y").append(new Target.Jump("X"));
        assertThrows(IllegalStateException.class, loop::validate);
        RuleSet nat = new RuleSet();
        nat.builtin(Table.FILTER, Hook.FORWARD).append(new Target.Masquerade(0, 0, false, false));
        assertThrows(IllegalStateException.class, nat::validate);
    }

    @Test
    void rejectSendsPortUnreachableQuotingThePacket() {
        Harness h = new Harness();
        h.rules.builtin(Table.FILTER, Hook.INPUT).append(new Target.Reject(Target.RejectWith.ICMP_PORT_UNREACHABLE), Match.Of.proto("udp"));
        h.reload();
        byte[] q = TestPackets.udp("198.51.100.7", 4000, "203.0.113.1", 9999, 4);
        assertNull(h.deliver(q, Harness.ETH0, 0));
        assertEquals(1, h.host.sent.size());
        byte[] icmp = h.host.sent.get(0);
        assertEquals("203.0.113.1", TestPackets.src(icmp));
        assertEquals("198.51.100.7", TestPackets.dst(icmp));
        assertEquals(3, icmp[20]);
        assertEquals(3, icmp[21]);
        byte[] quoted = java.util.Arrays.copyOfRange(icmp, 28, icmp.length);
        assertArrayEquals(q, quoted);
        assertTrue(TestPackets.checksumsValid(icmp));
    }

    @Test
    void rejectWithTcpResetAnswersASyn() {
        Harness h = new Harness();
        h.rules.builtin(Table.FILTER, Hook.INPUT).append(new Target.Reject(Target.RejectWith.TCP_RESET), Match.Of.proto("tcp"));
        h.reload();
        assertNull(h.deliver(TestPackets.tcp("198.51.100.7", 5555, "203.0.113.1", 81, SYN, 100, 0, 0), Harness.ETH0, 0));
        byte[] rst = h.host.sent.get(0);
        assertArrayEquals(rstFixture(), rst);
    }

    private static byte[] rstFixture() {
        byte[] b = TestPackets.tcp("203.0.113.1", 81, "198.51.100.7", 5555, TestPackets.RST | ACK, 0, 101, 0);
        // REJECT's packet: id 0, no DF, window 0
        b[4] = 0;
        b[5] = 0;
        b[6] = 0;
        b[10] = 0;
        b[11] = 0;
        Bytes.put16(b, 10, dev.simnet.wire.Checksum.compute(b, 0, 20));
        b[34] = 0;
        b[35] = 0;
        b[36] = 0;
        b[37] = 0;
        int c = dev.simnet.wire.Checksum.finish(dev.simnet.wire.Checksum.sum(b, 20, 20,
                dev.simnet.wire.Checksum.pseudoHeaderSum(TestPackets.ip("203.0.113.1"), TestPackets.ip("198.51.100.7"), 6, 20)));
        Bytes.put16(b, 36, c);
        return b;
    }

    @Test
    void logReportsToTheTraceSink() {
        Harness h = new Harness();
        List<String> lines = new ArrayList<>();
        h.nf.setTraceSink((now, line) -> lines.add(now + " " + line));
        h.rules.builtin(Table.FILTER, Hook.FORWARD).append(new Target.Log("fwd: "));
        h.reload();
        assertNotNull(h.forward(TCP_IN, Harness.ETH0, Harness.BR0, 7));
        assertEquals(List.of("7 fwd: IN=eth0 OUT=br0 SRC=198.51.100.7 DST=172.18.0.2 LEN=40 TTL=64 PROTO=TCP SPT=5555 DPT=80"), lines);
    }

    @Test
    void natTableSeesOnlyTheFirstPacket() {
        Harness h = new Harness().masquerade();
        Rule masq = h.rules.builtin(Table.NAT, Hook.POSTROUTING).rules().get(0);
        h.forward(TCP_OUT, Harness.BR0, Harness.ETH0, 0);
        h.forward(TestPackets.tcp("203.0.113.10", 443, "203.0.113.1", 40000, SYN | ACK, 9, 2, 0), Harness.ETH0, Harness.BR0, 1);
        h.forward(TestPackets.tcp("172.18.0.2", 40000, "203.0.113.10", 443, ACK, 2, 10, 0), Harness.BR0, Harness.ETH0, 2);
        assertEquals(1, masq.packets());
        assertEquals(1, h.rules.builtin(Table.NAT, Hook.PREROUTING).policyPackets(), "only the first packet walks nat PREROUTING");
    }

    @Test
    void cidrMatchUsesNetworkBits() {
        Match m = new Match.Source(Ipv4Cidr.parse("172.18.5.9/16"), false);
        assertTrue(passes(m, TestPackets.tcp("172.18.200.1", 1, "203.0.113.10", 2, SYN, 1, 0, 0), Harness.BR0, Harness.ETH0));
    }

    @Test
    void iptablesSaveWithCountersShowsRuleAndPolicyCounters() {
        Harness h = new Harness().masquerade();
        h.rules.builtin(Table.FILTER, Hook.FORWARD).setPolicy(Target.DROP);
        h.rules.builtin(Table.FILTER, Hook.FORWARD).append(Target.ACCEPT, Match.Of.in("br0"));
        h.reload();
        h.forward(TCP_OUT, Harness.BR0, Harness.ETH0, 0);
        h.forward(TCP_IN, Harness.ETH0, Harness.BR0, 0);
        String s = dev.simnet.netfilter.render.IptablesSave.render(h.rules, true);
        assertTrue(s.contains(":FORWARD DROP [1:40]\n"), s);
        assertTrue(s.contains("[1:40] -A FORWARD -i br0 -j ACCEPT\n"), s);
        assertTrue(s.contains("[1:40] -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE\n"), s);
        assertTrue(dev.simnet.netfilter.render.NftRenderer.listRuleset(h.rules)
                .contains("oifname != \"br0\" ip saddr 172.18.0.0/16 counter packets 1 bytes 40 masquerade\n"));
    }
}
