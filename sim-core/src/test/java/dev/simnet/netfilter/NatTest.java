package dev.simnet.netfilter;

import static dev.simnet.netfilter.TestPackets.ACK;
import static dev.simnet.netfilter.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.PacketHeaders;
import org.junit.jupiter.api.Test;

class NatTest {
    static final long S = ConntrackTable.SEC;

    @Test
    void masqueradeRewritesSourceByteExactAndRepliesComeBack() {
        Harness h = new Harness().masquerade();
        byte[] syn = TestPackets.tcp("172.18.0.2", 41234, "203.0.113.10", 80, SYN, 1000, 0, 0);
        byte[] out = h.forward(syn, Harness.BR0, Harness.ETH0, 0);
        assertArrayEquals(TestPackets.tcp("203.0.113.1", 41234, "203.0.113.10", 80, SYN, 1000, 0, 0), out,
                "only the source changes and every checksum is what a full recompute gives");
        byte[] synack = TestPackets.tcp("203.0.113.10", 80, "203.0.113.1", 41234, SYN | ACK, 5000, 1001, 0);
        byte[] back = h.forward(synack, Harness.ETH0, Harness.BR0, S / 10);
        assertArrayEquals(TestPackets.tcp("203.0.113.10", 80, "172.18.0.2", 41234, SYN | ACK, 5000, 1001, 0), back);
        byte[] ack = TestPackets.tcp("172.18.0.2", 41234, "203.0.113.10", 80, ACK, 1001, 5001, 100);
        byte[] ackOut = h.forward(ack, Harness.BR0, Harness.ETH0, S / 5);
        assertArrayEquals(TestPackets.tcp("203.0.113.1", 41234, "203.0.113.10", 80, ACK, 1001, 5001, 100), ackOut);
        assertEquals("tcp      6 300 ESTABLISHED src=172.18.0.2 dst=203.0.113.10 sport=41234 dport=80 "
                + "src=203.0.113.10 dst=203.0.113.1 sport=80 dport=41234 [ASSURED] mark=0 use=1\n",
                h.nf.conntrack().list(S / 5), "100 unacknowledged bytes cap the timeout at 300 s");
        byte[] ack2 = TestPackets.tcp("203.0.113.10", 80, "203.0.113.1", 41234, ACK, 5001, 1101, 0);
        h.forward(ack2, Harness.ETH0, Harness.BR0, S);
        assertEquals("tcp      6 431999 ESTABLISHED src=172.18.0.2 dst=203.0.113.10 sport=41234 dport=80 "
                + "src=203.0.113.10 dst=203.0.113.1 sport=80 dport=41234 [ASSURED] mark=0 use=1\n",
                h.nf.conntrack().list(2 * S));
    }

    @Test
    void freeSourcePortIsKeptEvenWhenTwoHostsShareItTowardsDifferentServers() {
        Harness h = new Harness().masquerade();
        byte[] a = h.forward(TestPackets.tcp("172.18.0.2", 40000, "203.0.113.10", 80, SYN, 1, 0, 0), Harness.BR0, Harness.ETH0, 0);
        byte[] b = h.forward(TestPackets.tcp("172.18.0.3", 40000, "203.0.113.11", 80, SYN, 1, 0, 0), Harness.BR0, Harness.ETH0, 0);
        assertEquals(40000, TestPackets.sport(a));
        assertEquals(40000, TestPackets.sport(b));
    }

    @Test
    void clashingSourcePortIsRemappedWithinItsClass() {
        int[][] cases = {{40000, 1024, 65535}, {700, 600, 1023}, {80, 1, 511}};
        for (int[] c : cases) {
            Harness h = new Harness().masquerade();
            byte[] a = h.forward(TestPackets.udp("172.18.0.2", c[0], "203.0.113.10", 53, 10), Harness.BR0, Harness.ETH0, 0);
            byte[] b = h.forward(TestPackets.udp("172.18.0.3", c[0], "203.0.113.10", 53, 10), Harness.BR0, Harness.ETH0, 0);
            assertEquals(c[0], TestPackets.sport(a));
            int p = TestPackets.sport(b);
            assertNotEquals(c[0], p);
            assertTrue(p >= c[1] && p <= c[2], "port " + p + " outside class " + c[1] + "-" + c[2]);
            assertTrue(TestPackets.checksumsValid(b));
            // the reply to the remapped port reaches the second host with its own port
            byte[] r = h.forward(TestPackets.udp("203.0.113.10", 53, "203.0.113.1", p, 20), Harness.ETH0, Harness.BR0, S);
            assertEquals("172.18.0.3", TestPackets.dst(r));
            assertEquals(c[0], TestPackets.dport(r));
            assertTrue(TestPackets.checksumsValid(r));
        }
    }

    @Test
    void randomFullyDoesNotPreserveThePort() {
        Harness h = new Harness();
        h.rules.builtin(Table.NAT, Hook.POSTROUTING).append(new Target.Masquerade(0, 0, false, true), Match.Of.notOut("br0"));
        h.reload();
        byte[] a = h.forward(TestPackets.tcp("172.18.0.2", 40000, "203.0.113.10", 80, SYN, 1, 0, 0), Harness.BR0, Harness.ETH0, 0);
        assertNotEquals(40000, TestPackets.sport(a));
        assertTrue(TestPackets.sport(a) >= 1024);
    }

    @Test
    void udpZeroChecksumStaysZero() {
        Harness h = new Harness().masquerade();
        byte[] out = h.forward(TestPackets.udp("172.18.0.2", 5000, "203.0.113.10", 53, 7, true), Harness.BR0, Harness.ETH0, 0);
        assertArrayEquals(TestPackets.udp("203.0.113.1", 5000, "203.0.113.10", 53, 7, true), out);
    }

    @Test
    void icmpEchoIdsAreRemappedOnClashAndTranslatedBack() {
        Harness h = new Harness().masquerade();
        byte[] a = h.forward(TestPackets.icmpEcho("172.18.0.2", "203.0.113.10", 8, 7, 1), Harness.BR0, Harness.ETH0, 0);
        byte[] b = h.forward(TestPackets.icmpEcho("172.18.0.3", "203.0.113.10", 8, 7, 1), Harness.BR0, Harness.ETH0, 0);
        assertArrayEquals(TestPackets.icmpEcho("203.0.113.1", "203.0.113.10", 8, 7, 1), a);
        int id = TestPackets.sport(b);
        assertNotEquals(7, id);
        assertArrayEquals(TestPackets.icmpEcho("203.0.113.1", "203.0.113.10", 8, id, 1), b);
        byte[] rb = h.forward(TestPackets.icmpEcho("203.0.113.10", "203.0.113.1", 0, id, 1), Harness.ETH0, Harness.BR0, S);
        assertArrayEquals(TestPackets.icmpEcho("203.0.113.10", "172.18.0.3", 0, 7, 1), rb);
        assertTrue(h.nf.conntrack().list(S + S / 2).contains("icmp     1 29 src=172.18.0.3 dst=203.0.113.10 type=8 code=0 id=7 "
                + "src=203.0.113.10 dst=203.0.113.1 type=0 code=0 id=" + id + " mark=0 use=1"), h.nf.conntrack().list(S));
    }

    @Test
    void icmpErrorIsRelatedAndItsQuotedHeaderIsTranslated() {
        Harness h = new Harness().masquerade();
        h.rules.builtin(Table.FILTER, Hook.FORWARD).append(Target.ACCEPT, Match.Of.ctstate(Match.CT_RELATED));
        h.reload();
        byte[] udpOut = h.forward(TestPackets.udp("172.18.0.2", 33434, "198.51.100.9", 33434, 12), Harness.BR0, Harness.ETH0, 0);
        byte[] err = TestPackets.icmpError("198.51.100.1", "203.0.113.1", 11, 0, udpOut);
        byte[] in = h.forward(err, Harness.ETH0, Harness.BR0, S);
        assertNotNull(in);
        assertEquals(1, h.rules.builtin(Table.FILTER, Hook.FORWARD).rules().get(0).packets(), "matched ctstate RELATED");
        byte[] quotedOrig = TestPackets.udp("172.18.0.2", 33434, "198.51.100.9", 33434, 12);
        assertArrayEquals(TestPackets.icmpError("198.51.100.1", "172.18.0.2", 11, 0, quotedOrig), in,
                "outer destination and quoted source restored, quoted IP and UDP checksums updated, ICMP checksum recomputed");
    }

    @Test
    void dnatToAPublishedPortAndBack() {
        Harness h = new Harness();
        h.rules.builtin(Table.NAT, Hook.PREROUTING).append(new Target.Dnat(Ipv4Address.parse("172.18.0.2"), 80, 80),
                Match.Of.dstLocal(), Match.Of.proto("tcp"), Match.Of.dport(8080));
        Chain fwd = h.rules.builtin(Table.FILTER, Hook.FORWARD);
        fwd.setPolicy(Target.DROP);
        fwd.append(Target.ACCEPT, Match.Of.dst("172.18.0.2/32"), Match.Of.proto("tcp"), Match.Of.dport(80));
        fwd.append(Target.ACCEPT, Match.Of.src("172.18.0.2/32"), Match.Of.proto("tcp"), new Match.SourcePort(80, 80, false));
        h.reload();
        byte[] syn = TestPackets.tcp("198.51.100.7", 5555, "203.0.113.1", 8080, SYN, 9, 0, 0);
        byte[] in = h.forward(syn, Harness.ETH0, Harness.BR0, 0);
        assertEquals(1, fwd.rules().get(0).packets(), "FORWARD sees the translated destination");
        assertArrayEquals(TestPackets.tcp("198.51.100.7", 5555, "172.18.0.2", 80, SYN, 9, 0, 0), in);
        byte[] synack = TestPackets.tcp("172.18.0.2", 80, "198.51.100.7", 5555, SYN | ACK, 70, 10, 0);
        byte[] out = h.forward(synack, Harness.BR0, Harness.ETH0, S / 100);
        assertArrayEquals(TestPackets.tcp("203.0.113.1", 8080, "198.51.100.7", 5555, SYN | ACK, 70, 10, 0), out);
        assertEquals("tcp      6 60 SYN_RECV src=198.51.100.7 dst=203.0.113.1 sport=5555 dport=8080 "
                + "src=172.18.0.2 dst=198.51.100.7 sport=80 dport=5555 mark=0 use=1\n", h.nf.conntrack().list(S / 100));
    }

    @Test
    void dnatOnOutputForTheEmbeddedDnsAndReplyGetsPort53Back() {
        Harness h = new Harness();
        dev.simnet.netfilter.docker.DockerRules.addContainerDnsRules(h.rules, 35001, 36001);
        h.reload();
        byte[] q = TestPackets.udp("127.0.0.1", 45000, "127.0.0.11", 53, 30);
        byte[] sent = h.send(q, Harness.LO, 0);
        assertArrayEquals(TestPackets.udp("127.0.0.1", 45000, "127.0.0.11", 35001, 30), sent);
        byte[] r = h.send(TestPackets.udp("127.0.0.11", 35001, "127.0.0.1", 45000, 60), Harness.LO, S / 1000);
        assertArrayEquals(TestPackets.udp("127.0.0.11", 53, "127.0.0.1", 45000, 60), r);
    }

    @Test
    void rewriteLeavesNoAllocationStateBehindOnMalformedPackets() {
        Harness h = new Harness().masquerade();
        byte[] bad = TestPackets.tcp("172.18.0.2", 1, "203.0.113.10", 2, SYN, 1, 0, 0);
        PacketHeaders.put16(bad, 2, 4000); // total length beyond the buffer
        assertNull(h.forward(bad, Harness.BR0, Harness.ETH0, 0));
        assertEquals(1, h.nf.malformedCount());
        assertEquals(0, h.nf.conntrack().size());
    }
}
