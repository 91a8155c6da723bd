package dev.simnet.netfilter;

import static dev.simnet.netfilter.TestPackets.ACK;
import static dev.simnet.netfilter.TestPackets.FIN;
import static dev.simnet.netfilter.TestPackets.RST;
import static dev.simnet.netfilter.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.TcpState;
import dev.simnet.netfilter.conntrack.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConntrackTest {
    static final long S = ConntrackTable.SEC;
    static final String C = "172.18.0.2";
    static final String SRV = "203.0.113.10";

    private static byte[] c2s(int flags, long seq, long ack, int len) {
        return TestPackets.tcp(C, 40000, SRV, 80, flags, seq, ack, len);
    }

    private static byte[] s2c(int flags, long seq, long ack, int len) {
        return TestPackets.tcp(SRV, 80, C, 40000, flags, seq, ack, len);
    }

    private static ConntrackEntry only(Harness h, long now) {
        List<ConntrackEntry> es = h.nf.conntrack().entries(now);
        assertEquals(1, es.size(), h.nf.conntrack().list(now));
        return es.get(0);
    }

    private static long left(ConntrackEntry e, long now) {
        return (e.expires() - now) / S;
    }

    @Test
    void tcpHandshakeAndCloseWalkTheKernelStatesWithTheirTimeouts() {
        Harness h = new Harness();
        long t = 0;
        h.forward(c2s(SYN, 100, 0, 0), Harness.BR0, Harness.ETH0, t);
        ConntrackEntry e = only(h, t);
        assertEquals(TcpState.SYN_SENT, e.tcpState());
        assertEquals(120, left(e, t));
        h.forward(s2c(SYN | ACK, 900, 101, 0), Harness.ETH0, Harness.BR0, t += S);
        assertEquals(TcpState.SYN_RECV, e.tcpState());
        assertEquals(60, left(e, t));
        assertFalse(e.has(ConntrackEntry.ASSURED));
        h.forward(c2s(ACK, 101, 901, 0), Harness.BR0, Harness.ETH0, t += S);
        assertEquals(TcpState.ESTABLISHED, e.tcpState());
        assertEquals(432000, left(e, t));
        assertTrue(e.has(ConntrackEntry.ASSURED));
        h.forward(c2s(FIN | ACK, 101, 901, 0), Harness.BR0, Harness.ETH0, t += S);
        assertEquals(TcpState.FIN_WAIT, e.tcpState());
        assertEquals(120, left(e, t));
        h.forward(s2c(ACK, 901, 102, 0), Harness.ETH0, Harness.BR0, t += S);
        assertEquals(TcpState.CLOSE_WAIT, e.tcpState());
        assertEquals(60, left(e, t));
        h.forward(s2c(FIN | ACK, 901, 102, 0), Harness.ETH0, Harness.BR0, t += S);
        assertEquals(TcpState.LAST_ACK, e.tcpState());
        assertEquals(30, left(e, t));
        h.forward(c2s(ACK, 102, 902, 0), Harness.BR0, Harness.ETH0, t += S);
        assertEquals(TcpState.TIME_WAIT, e.tcpState());
        assertEquals(120, left(e, t));
        // a new SYN on the same tuple reopens: the old entry goes, a new one starts in SYN_SENT
        h.forward(c2s(SYN, 5000, 0, 0), Harness.BR0, Harness.ETH0, t += S);
        ConntrackEntry e2 = only(h, t);
        assertTrue(e2 != e);
        assertEquals(TcpState.SYN_SENT, e2.tcpState());
    }

    @Test
    void resetMovesToCloseFor10Seconds() {
        Harness h = new Harness();
        h.forward(c2s(SYN, 100, 0, 0), Harness.BR0, Harness.ETH0, 0);
        h.forward(s2c(SYN | ACK, 900, 101, 0), Harness.ETH0, Harness.BR0, 1);
        h.forward(c2s(ACK, 101, 901, 0), Harness.BR0, Harness.ETH0, 2);
        h.forward(c2s(RST, 101, 0, 0), Harness.BR0, Harness.ETH0, 3);
        ConntrackEntry e = only(h, 3);
        assertEquals(TcpState.CLOSE, e.tcpState());
        assertEquals(3 + 10 * S, e.expires());
    }

    @Test
    void aResetAsTheOnlyReplyDeletesTheEntryAtOnce() {
        Harness h = new Harness();
        h.forward(c2s(SYN, 100, 0, 0), Harness.BR0, Harness.ETH0, 0);
        h.forward(s2c(RST | ACK, 0, 101, 0), Harness.ETH0, Harness.BR0, 1);
        assertEquals(0, h.nf.conntrack().size());
    }

    @Test
    void midStreamAckIsPickedUpAsEstablished() {
        Harness h = new Harness();
        h.forward(c2s(ACK, 100, 900, 0), Harness.BR0, Harness.ETH0, 0);
        assertEquals(TcpState.ESTABLISHED, only(h, 0).tcpState());
    }

    @Test
    void udpIsUnrepliedThenRepliedThenAStreamAfterTwoSeconds() {
        Harness h = new Harness();
        byte[] q = TestPackets.udp(C, 5000, SRV, 53, 20);
        byte[] r = TestPackets.udp(SRV, 53, C, 5000, 60);
        h.forward(q, Harness.BR0, Harness.ETH0, 0);
        ConntrackEntry e = only(h, 0);
        assertEquals("udp      17 30 src=172.18.0.2 dst=203.0.113.10 sport=5000 dport=53 [UNREPLIED] "
                + "src=203.0.113.10 dst=172.18.0.2 sport=53 dport=5000 mark=0 use=1\n", h.nf.conntrack().list(0));
        h.forward(r, Harness.ETH0, Harness.BR0, S / 2);
        assertEquals(S / 2 + 30 * S, e.expires());
        assertFalse(e.has(ConntrackEntry.ASSURED));
        h.forward(q, Harness.BR0, Harness.ETH0, S);
        assertEquals(S + 30 * S, e.expires(), "replied but younger than 2 s: still 30 s");
        assertFalse(e.has(ConntrackEntry.ASSURED));
        h.forward(q, Harness.BR0, Harness.ETH0, 2 * S + 1);
        assertEquals(2 * S + 1 + 120 * S, e.expires());
        assertTrue(e.has(ConntrackEntry.ASSURED));
        assertEquals("udp      17 119 src=172.18.0.2 dst=203.0.113.10 sport=5000 dport=53 "
                + "src=203.0.113.10 dst=172.18.0.2 sport=53 dport=5000 [ASSURED] mark=0 use=1\n", h.nf.conntrack().list(3 * S));
    }

    @Test
    void icmpAndGenericTimeouts() {
        Harness h = new Harness();
        h.forward(TestPackets.icmpEcho(C, SRV, 8, 3, 1), Harness.BR0, Harness.ETH0, 0);
        assertEquals(30 * S, only(h, 0).expires());
        Harness g = new Harness();
        byte[] gre = TestPackets.udp(C, 1, SRV, 2, 4);
        gre[9] = 47;
        gre[10] = 0;
        gre[11] = 0;
        dev.simnet.netfilter.conntrack.PacketHeaders.put16(gre, 10, dev.simnet.wire.Checksum.compute(gre, 0, 20));
        g.forward(gre, Harness.BR0, Harness.ETH0, 0);
        assertEquals("gre      47 600 src=172.18.0.2 dst=203.0.113.10 [UNREPLIED] src=203.0.113.10 dst=172.18.0.2 mark=0 use=1\n",
                g.nf.conntrack().list(0));
    }

    @Test
    void anEntryIsAliveUntilTheLastNanosecondOfItsTimeoutAndGoneAtIt() {
        Harness h = new Harness();
        h.forward(TestPackets.udp(C, 5000, SRV, 53, 20), Harness.BR0, Harness.ETH0, 1000);
        ConntrackTable t = h.nf.conntrack();
        long exp = 1000 + 30 * S;
        assertNotNull(t.find(Tuple.UDP, TestPackets.ip(C), TestPackets.ip(SRV), 5000, 53, exp - 1));
        assertNull(t.find(Tuple.UDP, TestPackets.ip(C), TestPackets.ip(SRV), 5000, 53, exp));
        assertEquals(0, t.size());
    }

    @Test
    void aFullTableDropsNewFlowsCountsThemAndLeavesOldOnesAlone() {
        Harness h = new Harness(2).masquerade();
        assertNotNull(h.forward(TestPackets.udp(C, 1, SRV, 53, 1), Harness.BR0, Harness.ETH0, 0));
        assertNotNull(h.forward(TestPackets.udp(C, 2, SRV, 53, 1), Harness.BR0, Harness.ETH0, 0));
        assertNull(h.forward(TestPackets.udp(C, 3, SRV, 53, 1), Harness.BR0, Harness.ETH0, 0));
        assertEquals(1, h.nf.conntrack().dropCount());
        byte[] reply = h.forward(TestPackets.udp(SRV, 53, "203.0.113.1", 1, 1), Harness.ETH0, Harness.BR0, S);
        assertEquals(C, TestPackets.dst(reply));
        // once an entry expires, a new flow fits again
        assertNotNull(h.forward(TestPackets.udp(C, 3, SRV, 53, 1), Harness.BR0, Harness.ETH0, 31 * S));
    }
}
