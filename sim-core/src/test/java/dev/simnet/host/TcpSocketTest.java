package dev.simnet.host;

import static dev.simnet.host.TwoHosts.ms;
import static dev.simnet.host.TwoHosts.sec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.wire.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpSocketTest {
    static final int SYN = TcpSocket.SYN;
    static final int ACK = TcpSocket.ACK;
    static final int FIN = TcpSocket.FIN;
    static final int RST = TcpSocket.RST;

    /** Echoes everything back; closes when the peer closes. */
    static final class Echo implements TcpSocket.Listener {
        @Override
        public void onData(TcpSocket s) {
            s.write(s.readAll());
        }

        @Override
        public void onPeerClosed(TcpSocket s) {
            s.close();
        }
    }

    /** Collects what a client hears. */
    static final class Client implements TcpSocket.Listener {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();

        @Override
        public void onConnected(TcpSocket s) {
            events.add("connected");
        }

        @Override
        public void onData(TcpSocket s) {
            data.writeBytes(s.readAll());
        }

        @Override
        public void onPeerClosed(TcpSocket s) {
            events.add("peer-closed");
        }

        @Override
        public void onClosed(TcpSocket s) {
            events.add("closed");
        }

        @Override
        public void onError(TcpSocket s, int errno) {
            events.add("error " + Errno.name(errno));
        }
    }

    @Test
    void handshakeSequenceAndAcknowledgementNumbersAndOptions() {
        TwoHosts net = new TwoHosts(10);
        net.b.stack.listen(80, 128, s -> new Echo());
        Client cl = new Client();
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, cl);
        assertEquals(TcpState.SYN_SENT, c.state());
        net.sched.runUntil(ms(10));
        assertEquals(List.of("connected"), cl.events);
        assertEquals(TcpState.ESTABLISHED, c.state());

        List<TwoHosts.Sent> fromA = net.sentBy(net.a, 6);
        List<TwoHosts.Sent> fromB = net.sentBy(net.b, 6);
        TwoHosts.Sent syn = fromA.get(0);
        TwoHosts.Sent synAck = fromB.get(0);
        TwoHosts.Sent ack = fromA.get(1);
        assertEquals(SYN, syn.tcpFlags());
        assertEquals(c.iss(), syn.seq());
        assertEquals(0, syn.ack());
        assertEquals(64240, syn.window(), "SYN window: 65535 rounded down to a multiple of the MSS, as Linux");
        // options as Linux lays them out: mss 1460 (MTU 1500 - 40),sackOK,TS val V ecr 0,nop,wscale 7
        byte[] ip = syn.ip();
        assertEquals(40, ((ip[20 + 12] & 0xf0) >>> 4) * 4);
        assertArrayEquals(new byte[] {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10}, java.util.Arrays.copyOfRange(ip, 40, 48));
        int synTsVal = Bytes.i32(ip, 48);
        assertEquals(0, Bytes.i32(ip, 52), "TS ecr 0 on a SYN");
        assertArrayEquals(new byte[] {1, 3, 3, 7}, java.util.Arrays.copyOfRange(ip, 56, 60));
        assertEquals(synTsVal, Bytes.i32(synAck.ip(), 52), "the SYN-ACK echoes our TSval");
        assertEquals(SYN | ACK, synAck.tcpFlags());
        assertEquals(65160, synAck.window(), "SYN-ACK window rounded to 1448-byte segments, as Linux (45 x 1448)");
        assertEquals(c.iss() + 1, synAck.ack());
        assertEquals(c.irs(), synAck.seq());

        assertEquals(ACK, ack.tcpFlags());
        assertEquals(c.iss() + 1, ack.seq());
        assertEquals(c.irs() + 1, ack.ack());
        assertEquals(c.iss() + 1, c.sndNxt());
        assertEquals(c.irs() + 1, c.rcvNxt());
        assertEquals(1448, c.mss(), "1460 less the 12-byte timestamp option, as Linux");
        assertEquals(7, c.sendWindowScale());
        assertEquals(7, c.receiveWindowScale());
        assertEquals(0, ack.tcpPayloadLen());
        // after the handshake windows are scaled: rcv_ssthresh 64240 rounded up to the 128-byte unit, as Linux's "win 502"
        assertEquals(502, ack.window());
        // the RTT sample from the handshake: 2 ms round trip, RTO = SRTT + max(4*RTTVAR, 200 ms)
        assertEquals(ms(2), c.srtt());
        assertEquals(ms(202), c.rto());
    }

    @Test
    void destroyedConnectionsVanishSilentlyAndFreeTheirPort() {
        TwoHosts net = new TwoHosts(13);
        TcpServerSocket l = net.b.stack.listen(80, 16, s -> new Echo());
        net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(10));
        assertEquals(1, net.b.stack.tcpConnections().size());
        l.close();
        TcpServerSocket again = net.b.stack.tcpServer();
        assertThrows(SocketError.class, () -> again.bind(0, 80), "the accepted connection still holds port 80");
        int sent = net.log.size();
        assertEquals(1, net.b.stack.destroyConnections());
        net.sched.runUntil(ms(100));
        assertEquals(0, net.b.stack.tcpConnections().size());
        assertTrue(net.sentBy(net.b, 6).stream().noneMatch(x -> net.log.indexOf(x) >= sent), "not another segment");
        again.bind(0, 80);
        again.listen(16, s -> new Echo());
    }

    @Test
    void mssFollowsTheRouteMtu() {
        TwoHosts net = new TwoHosts(11);
        net.a.mtu = 1400;
        net.b.stack.listen(80, 16, s -> new Echo());
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(10));
        assertEquals(1360, c.advertisedMss());
        assertEquals(1348, c.mss(), "min(peer's 1460, ours 1360) less 12 bytes of timestamps");
        TcpSocket server = net.b.stack.tcpConnections().get(0);
        assertEquals(1348, server.mss());
    }

    @Test
    void echoRoundTripAndOrderlyClose() {
        TwoHosts net = new TwoHosts(12);
        net.b.stack.listen(7, 16, s -> new Echo());
        Client cl = new Client();
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 7, new TcpSocket.Listener() {
            @Override
            public void onConnected(TcpSocket s) {
                s.write("ping over tcp".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void onData(TcpSocket s) {
                cl.onData(s);
                if (cl.data.size() == 13) {
                    s.shutdownOutput();
                }
            }

            @Override
            public void onPeerClosed(TcpSocket s) {
                cl.events.add("peer-closed");
            }

            @Override
            public void onClosed(TcpSocket s) {
                cl.events.add("closed");
            }
        });
        net.sched.runUntil(sec(1));
        assertEquals("ping over tcp", cl.data.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of("peer-closed", "closed"), cl.events);
        assertEquals(TcpState.TIME_WAIT, c.state(), "the side that closed first waits");
        assertEquals(List.of(), net.b.stack.tcpConnections(), "the server side went LAST_ACK -> CLOSED");
        assertEquals(-1, c.read(new byte[1], 0, 1), "end of stream");
    }

    @Test
    void segmentToClosedPortIsAnsweredWithRst() {
        TwoHosts net = new TwoHosts(13);
        Client cl = new Client();
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 81, cl);
        net.sched.runUntil(ms(10));
        assertEquals(List.of("error ECONNREFUSED"), cl.events);
        assertEquals(TcpState.CLOSED, c.state());
        TwoHosts.Sent rst = net.sentBy(net.b, 6).get(0);
        assertEquals(RST | ACK, rst.tcpFlags());
        assertEquals(0, rst.seq());
        assertEquals(c.iss() + 1, rst.ack(), "RST acknowledges the SYN");
        assertEquals(1, net.b.stack.counters().tcpOutRsts());
        assertEquals(1, net.a.stack.counters().tcpAttemptFails());

        // an ACK-bearing segment for no connection gets RST with seq = its ack
        net.a.stack.resetFor(new dev.simnet.wire.TcpPacket(ackSegment(net, 5555, 81, 1000, 777), 0, 20), net.b.addr, net.a.addr,
                net.sched.now());
        TwoHosts.Sent r2 = net.sentBy(net.a, 6).get(net.sentBy(net.a, 6).size() - 1);
        assertEquals(RST, r2.tcpFlags());
        assertEquals(777, r2.seq());
    }

    /** B listens on port 80; what its accepted sockets read is appended to the returned stream. */
    private static ByteArrayOutputStream serverCollecting(TwoHosts net) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        net.b.stack.listen(80, 16, s -> new TcpSocket.Listener() {
            @Override
            public void onData(TcpSocket s2) {
                received.writeBytes(s2.readAll());
            }
        });
        return received;
    }

    private static byte[] ackSegment(TwoHosts net, int sport, int dport, int seq, int ack) {
        byte[] b = new byte[20];
        Bytes.put16(b, 0, sport);
        Bytes.put16(b, 2, dport);
        Bytes.put32(b, 4, seq);
        Bytes.put32(b, 8, ack);
        b[12] = 0x50;
        b[13] = (byte) ACK;
        return b;
    }

    @Test
    void teardownWalksEveryStateAndTimeWaitLastsSixtySeconds() {
        TwoHosts net = new TwoHosts(14);
        net.link = (from, ip, rng) -> ms(10);
        List<TcpSocket> accepted = new ArrayList<>();
        List<String> serverEvents = new ArrayList<>();
        net.b.stack.listen(80, 16, s -> {
            accepted.add(s);
            return new TcpSocket.Listener() {
                @Override
                public void onPeerClosed(TcpSocket s2) {
                    serverEvents.add("peer-closed " + s2.state());
                }
            };
        });
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(100));
        TcpSocket srv = accepted.get(0);
        assertEquals(TcpState.ESTABLISHED, srv.state());

        long t0 = net.sched.now();
        c.close();
        assertEquals(TcpState.FIN_WAIT_1, c.state());
        net.sched.runUntil(t0 + ms(15)); // FIN arrived at B (10 ms), B's ACK still in flight
        assertEquals(TcpState.CLOSE_WAIT, srv.state());
        assertEquals(TcpState.FIN_WAIT_1, c.state());
        net.sched.runUntil(t0 + ms(25));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        assertEquals(List.of("peer-closed CLOSE_WAIT"), serverEvents);
        srv.close();
        assertEquals(TcpState.LAST_ACK, srv.state());
        net.sched.runUntil(t0 + ms(40));
        assertEquals(TcpState.TIME_WAIT, c.state());
        long timeWaitFrom = t0 + ms(35);
        net.sched.runUntil(t0 + ms(50));
        assertEquals(TcpState.CLOSED, srv.state());
        assertEquals(1, net.a.stack.sockets().size(), "TIME-WAIT socket still listed");
        assertEquals("TIME-WAIT", net.a.stack.sockets().get(0).state().ssName());
        net.sched.runUntil(timeWaitFrom + sec(60) - ms(1));
        assertEquals(TcpState.TIME_WAIT, c.state());
        net.sched.runUntil(timeWaitFrom + sec(60));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, net.a.stack.sockets().size());

        // flags seen: A sent FIN|ACK, B answered ACK, then FIN|ACK, A's final ACK
        List<Integer> flags = new ArrayList<>();
        for (TwoHosts.Sent s : net.log) {
            if (s.time() >= t0) {
                flags.add(s.tcpFlags());
            }
        }
        assertEquals(List.of(FIN | ACK, ACK, FIN | ACK, ACK), flags);
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        TwoHosts net = new TwoHosts(15);
        net.link = (from, ip, rng) -> ms(10);
        List<TcpSocket> accepted = new ArrayList<>();
        net.b.stack.listen(80, 16, s -> {
            accepted.add(s);
            return new TcpSocket.Listener() { };
        });
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(100));
        TcpSocket srv = accepted.get(0);
        c.shutdownOutput();
        srv.shutdownOutput();
        net.sched.runUntil(ms(115));
        assertEquals(TcpState.CLOSING, c.state());
        assertEquals(TcpState.CLOSING, srv.state());
        net.sched.runUntil(ms(130));
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(TcpState.TIME_WAIT, srv.state());
    }

    @Test
    void listenBacklogOverflowDropsSynsLikeLinux() {
        TwoHosts net = new TwoHosts(16);
        TcpServerSocket srv = net.b.stack.tcpServer().setOwner("nginx", 1);
        srv.bind(0, 80).listen(1, null);
        List<TcpSocket> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            clients.add(net.a.stack.tcp().connect(net.b.addr, 80, new Client()));
        }
        net.sched.runUntil(ms(100));
        // backlog 1: the accept queue holds backlog + 1 = 2 connections (sk_acceptq_is_full is "len > backlog")
        assertEquals(2, srv.acceptQueueLength());
        for (int i = 0; i < 2; i++) {
            clients.add(net.a.stack.tcp().connect(net.b.addr, 80, new Client()));
        }
        net.sched.runUntil(ms(500));
        assertEquals(2, clients.stream().filter(c -> c.state() == TcpState.ESTABLISHED).count());
        assertEquals(2, clients.stream().filter(c -> c.state() == TcpState.SYN_SENT).count(), "their SYNs were dropped");
        assertEquals(0, net.sentBy(net.b, 6).stream().filter(s -> s.time() >= ms(100)).count(), "no SYN-ACK, no RST");
        assertEquals(2, net.b.stack.counters().tcpListenOverflows());
        String ss = SsRenderer.render(net.b.stack.sockets(), "-tlnp");
        assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess" + " ".repeat(22) + "\n"
                + "LISTEN 2      1            0.0.0.0:80        0.0.0.0:*    users:((\"nginx\",pid=1,fd=3))\n", ss);

        // the application accepts both; the waiting clients' first SYN retransmission (1 s later) gets in
        TcpSocket one = srv.accept();
        TcpSocket two = srv.accept();
        assertNotNull(one);
        assertNotNull(two);
        assertNull(srv.accept());
        assertEquals(4, one.owner().fd(), "accepted sockets take the owner's next descriptors");
        net.sched.runUntil(sec(2));
        assertEquals(4, clients.stream().filter(c -> c.state() == TcpState.ESTABLISHED).count());
        assertEquals(2, srv.acceptQueueLength());
        long synRetransmits = net.sentBy(net.a, 6).stream().filter(s -> s.tcpFlags() == SYN && s.time() == ms(1100)).count();
        assertEquals(2, synRetransmits);
    }

    @Test
    void finalAckDroppedWhenAcceptQueueIsFullAndSynAckRetransmissionCompletesLater() {
        TwoHosts net = new TwoHosts(24);
        TcpServerSocket srv = net.b.stack.tcpServer().bind(0, 80).listen(0, null);
        List<TcpSocket> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(net.a.stack.tcp().connect(net.b.addr, 80, new Client()));
        }
        net.sched.runUntil(ms(100));
        // all three SYNs found an empty queue and were answered; only one final ACK fit (backlog 0 holds 1)
        assertEquals(3, clients.stream().filter(c -> c.state() == TcpState.ESTABLISHED).count(), "clients think they are connected");
        assertEquals(1, srv.acceptQueueLength());
        assertEquals(2, srv.synQueueLength());
        assertEquals(2, net.b.stack.counters().tcpListenOverflows());
        assertNotNull(srv.accept());
        // the SYN-ACK retransmission at 1 s draws a duplicate ACK from the client, which now fits
        net.sched.runUntil(ms(1100));
        assertEquals(1, srv.acceptQueueLength());
        assertNotNull(srv.accept());
        net.sched.runUntil(ms(3100));
        assertNotNull(srv.accept(), "the third one got in on the second SYN-ACK retransmission (3 s)");
        assertEquals(0, srv.synQueueLength());
    }

    @Test
    void synRetransmissionsBackOffExponentiallyThenEtimedout() {
        TwoHosts net = new TwoHosts(17);
        net.link = (from, ip, rng) -> -1; // black hole
        Client cl = new Client();
        net.a.stack.tcp().connect(net.b.addr, 80, cl);
        net.sched.runUntil(sec(200));
        List<Long> times = new ArrayList<>();
        for (TwoHosts.Sent s : net.sentBy(net.a, 6)) {
            assertEquals(SYN, s.tcpFlags());
            times.add(s.time() / 1_000_000_000L);
        }
        // tcp_syn_retries = 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s; the connect fails at 127 s
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 31L, 63L), times);
        assertEquals(List.of("error ETIMEDOUT"), cl.events);
        assertEquals(1, net.a.stack.counters().tcpAttemptFails());
    }

    @Test
    void dataRetransmissionTimerBacksOffAndKarnKeepsItBackedOff() {
        TwoHosts net = new TwoHosts(18);
        net.a.stack.setTcpTimestamps(false); // Karn's rule is about RTT timing without timestamps (RFC 6298 3)
        net.link = (from, ip, rng) -> ms(5);
        net.b.stack.listen(80, 16, s -> new TcpSocket.Listener() { });
        Client cl = new Client();
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, cl);
        net.sched.runUntil(ms(50));
        assertEquals(ms(10), c.srtt());
        assertEquals(ms(210), c.rto(), "SRTT 10 ms + max(4 x 5 ms, 200 ms)");
        long[] cut = {1};
        net.link = (from, ip, rng) -> cut[0] == 1 ? -1 : ms(5);
        long t0 = net.sched.now();
        c.write(new byte[100]);
        net.sched.runUntil(t0 + sec(4));
        List<Long> gaps = new ArrayList<>();
        long prev = -1;
        for (TwoHosts.Sent s : net.sentBy(net.a, 6)) {
            if (s.time() >= t0 && s.tcpPayloadLen() == 100) {
                if (prev >= 0) {
                    gaps.add((s.time() - prev) / 1_000_000L);
                }
                prev = s.time();
            }
        }
        assertEquals(List.of(210L, 420L, 840L, 1680L), gaps, "RTO doubles on every expiry");
        assertEquals(4, net.a.stack.counters().tcpTimeouts());
        cut[0] = 0;
        net.sched.runUntil(t0 + sec(8));
        assertEquals(0, c.unacknowledged());
        assertEquals(5, net.a.stack.counters().tcpTimeouts(), "the fifth retransmission (at 6.51 s) got through");
        assertEquals(ms(6720), c.rto(), "Karn: no sample from a retransmitted segment, the RTO stays backed off");
        c.write(new byte[100]);
        net.sched.runUntil(t0 + sec(9));
        // a fresh sample (10 ms + the receiver's 40 ms delayed ACK) replaces the backed-off value
        assertEquals(ms(15), c.srtt());
        assertEquals(ms(215), c.rto(), "a fresh sample resets the RTO");
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitBeforeTheTimer() {
        TwoHosts net = new TwoHosts(19);
        net.link = (from, ip, rng) -> ms(10);
        TwoHosts.Sent[] dropped = {null};
        ByteArrayOutputStream received = serverCollecting(net);
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(100));
        int[] dataSegs = {0};
        net.link = (from, ip, rng) -> {
            if (from == net.a && ip.length > 40) {
                dataSegs[0]++;
                if (dataSegs[0] == 2) {
                    return -1; // lose the second data segment once
                }
            }
            return ms(10);
        };
        byte[] payload = new byte[10 * 1460];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        long t0 = net.sched.now();
        assertEquals(payload.length, c.write(payload));
        net.sched.runUntil(t0 + sec(2));
        assertArrayEquals(payload, received.toByteArray());
        assertEquals(1, net.a.stack.counters().tcpFastRetrans());
        assertEquals(0, net.a.stack.counters().tcpTimeouts(), "recovered without the RTO");
        assertEquals(1, c.retransmits());
        // the retransmission left one RTT (20 ms) after the burst: when the third duplicate ACK arrived
        TwoHosts.Sent rtx = null;
        int lostSeq = c.iss() + 1 + c.mss();
        for (TwoHosts.Sent s : net.sentBy(net.a, 6)) {
            if (s.seq() == lostSeq && s.tcpPayloadLen() > 0 && s.time() > t0) {
                rtx = s;
            }
        }
        assertNotNull(rtx);
        assertEquals(t0 + ms(20), rtx.time());
        assertTrue(c.ssthresh() < 10, "ssthresh halved: " + c.ssthresh());
    }

    @Test
    void zeroWindowIsProbedAndReopens() {
        TwoHosts net = new TwoHosts(20);
        net.b.stack.setTcpBufferSizes(262144, 4096);
        List<TcpSocket> accepted = new ArrayList<>();
        net.b.stack.listen(80, 16, s -> {
            accepted.add(s);
            return new TcpSocket.Listener() { };
        });
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(100));
        byte[] data = new byte[20000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        c.write(data);
        net.sched.runUntil(sec(5));
        TcpSocket srv = accepted.get(0);
        assertTrue(srv.available() > 4096 - 128, "the receiver's buffer is full up to the 128-byte window granularity");
        assertEquals(0, c.sendWindow());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.writeBytes(srv.readAll());
        // the reader drains; window updates and probes keep the transfer going
        for (int i = 0; i < 40 && got.size() < data.length; i++) {
            net.sched.runUntil(net.sched.now() + sec(1));
            got.writeBytes(srv.readAll());
        }
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void resetFromPeerReportsEconnreset() {
        TwoHosts net = new TwoHosts(21);
        List<TcpSocket> accepted = new ArrayList<>();
        net.b.stack.listen(80, 16, s -> {
            accepted.add(s);
            return new TcpSocket.Listener() { };
        });
        Client cl = new Client();
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, cl);
        net.sched.runUntil(ms(100));
        c.write(new byte[10]);
        net.sched.runUntil(ms(200));
        accepted.get(0).close(); // unread data: close() resets
        net.sched.runUntil(ms(300));
        assertEquals(List.of("connected", "error ECONNRESET"), cl.events);
        assertEquals(TcpState.CLOSED, c.state());
        assertThrows(SocketError.class, () -> c.write(new byte[1]));
    }

    @Test
    void bindConflictsAndTimeWaitHoldThePort() {
        TwoHosts net = new TwoHosts(22);
        TcpServerSocket l = net.b.stack.tcpServer().bind(0, 80).listen(16, s -> new Echo());
        assertEquals(Errno.EADDRINUSE, assertThrows(SocketError.class,
                () -> net.b.stack.tcpServer().bind(net.b.addr, 80)).errno());
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(100));
        // server-side active close leaves a TIME-WAIT on port 80
        net.b.stack.tcpConnections().get(0).close();
        c.setListener(new TcpSocket.Listener() {
            @Override
            public void onPeerClosed(TcpSocket s) {
                s.close();
            }
        });
        net.sched.runUntil(ms(200));
        l.close();
        assertEquals(TcpState.TIME_WAIT, net.b.stack.tcpConnections().get(0).state());
        assertEquals(Errno.EADDRINUSE, assertThrows(SocketError.class,
                () -> net.b.stack.tcpServer().bind(0, 80)).errno(), "TIME-WAIT holds the port without SO_REUSEADDR");
        net.sched.runUntil(sec(61));
        net.b.stack.tcpServer().bind(0, 80);
    }

    @Test
    void soReuseaddrAllowsRebindingOverTimeWait() {
        TwoHosts net = new TwoHosts(23);
        TcpServerSocket l = net.b.stack.tcpServer().setReuseAddress(true).bind(0, 80).listen(16, s -> new Echo());
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new TcpSocket.Listener() {
            @Override
            public void onPeerClosed(TcpSocket s) {
                s.close();
            }
        });
        net.sched.runUntil(ms(100));
        net.b.stack.tcpConnections().get(0).close();
        net.sched.runUntil(ms(200));
        l.close();
        assertEquals(TcpState.TIME_WAIT, net.b.stack.tcpConnections().get(0).state());
        net.b.stack.tcpServer().setReuseAddress(true).bind(0, 80).listen(16, s -> new Echo());
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void halfCloseKeepsReceiving() {
        TwoHosts net = new TwoHosts(25);
        List<TcpSocket> accepted = new ArrayList<>();
        net.b.stack.listen(80, 16, s -> {
            accepted.add(s);
            return new TcpSocket.Listener() { };
        });
        Client cl = new Client();
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, cl);
        net.sched.runUntil(ms(50));
        c.shutdownOutput();
        net.sched.runUntil(ms(100));
        TcpSocket srv = accepted.get(0);
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        assertEquals(TcpState.CLOSE_WAIT, srv.state());
        assertEquals(-1, srv.read(new byte[1], 0, 1), "the server sees end of stream");
        srv.write("still talking".getBytes(StandardCharsets.US_ASCII));
        net.sched.runUntil(ms(200));
        assertEquals("still talking", cl.data.toString(StandardCharsets.US_ASCII));
        assertThrows(SocketError.class, () -> c.write(new byte[1]), "EPIPE after shutdown");
        srv.close();
        net.sched.runUntil(ms(300));
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(List.of("connected", "peer-closed", "closed"), cl.events);
    }

    @Test
    void orphanedFinWait2TimesOutAfterSixtySeconds() {
        TwoHosts net = new TwoHosts(26);
        net.b.stack.listen(80, 16, s -> new TcpSocket.Listener() { }); // never closes its side
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(50));
        c.close();
        net.sched.runUntil(ms(100));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        net.sched.runUntil(ms(50) + sec(60));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        net.sched.runUntil(ms(100) + sec(60));
        assertEquals(TcpState.CLOSED, c.state(), "tcp_fin_timeout");
        assertEquals(TcpState.CLOSE_WAIT, net.b.stack.tcpConnections().get(0).state());
    }

    @Test
    void dataArrivingAfterCloseIsAnsweredWithRst() {
        TwoHosts net = new TwoHosts(27);
        List<TcpSocket> accepted = new ArrayList<>();
        net.b.stack.listen(80, 16, s -> {
            accepted.add(s);
            return new TcpSocket.Listener() { };
        });
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(50));
        c.close();
        net.sched.runUntil(ms(100));
        accepted.get(0).write(new byte[10]);
        net.sched.runUntil(ms(200));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpState.CLOSED, accepted.get(0).state(), "the RST reached the server");
        assertEquals(1, net.a.stack.counters().tcpOutRsts());
    }

    @Test
    void sackRepairsTwoHolesInOneRoundTrip() {
        TwoHosts net = new TwoHosts(28);
        net.link = (from, ip, rng) -> ms(10);
        ByteArrayOutputStream received = serverCollecting(net);
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(100));
        int[] dataSegs = {0};
        net.link = (from, ip, rng) -> {
            if (from == net.a && ip.length > 40) {
                dataSegs[0]++;
                if (dataSegs[0] == 2 || dataSegs[0] == 5) {
                    return -1; // two holes in the first flight
                }
            }
            return ms(10);
        };
        byte[] payload = new byte[10 * 1460];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        long t0 = net.sched.now();
        c.write(payload);
        net.sched.runUntil(t0 + sec(2));
        assertArrayEquals(payload, received.toByteArray());
        assertEquals(0, net.a.stack.counters().tcpTimeouts());
        assertEquals(2, c.retransmits(), "exactly the two lost segments were resent");
        // the receiver's duplicate ACKs carried SACK blocks: nop,nop,sack with the out-of-order range
        TwoHosts.Sent dupAck = null;
        for (TwoHosts.Sent x : net.sentBy(net.b, 6)) {
            if (x.time() > t0 && x.tcpPayloadLen() == 0 && ((x.ip()[32] & 0xf0) >>> 4) * 4 > 20) {
                dupAck = x;
                break;
            }
        }
        assertNotNull(dupAck);
        byte[] ip = dupAck.ip();
        assertEquals(8, ip[42], "nop,nop,TS first");
        assertEquals(1, ip[52]);
        assertEquals(1, ip[53]);
        assertEquals(5, ip[54]);
        assertEquals(c.iss() + 1 + 2 * c.mss(), Bytes.i32(ip, 56), "SACK block starts after the first hole");
        // both holes were resent within one round trip of the first fast retransmit
        List<Long> rtxTimes = new ArrayList<>();
        int hole1 = c.iss() + 1 + c.mss();
        int hole2 = c.iss() + 1 + 4 * c.mss();
        for (TwoHosts.Sent x : net.sentBy(net.a, 6)) {
            if (x.time() > t0 && x.tcpPayloadLen() > 0 && (x.seq() == hole1 || x.seq() == hole2) && !x.dropped()) {
                rtxTimes.add(x.time());
            }
        }
        assertEquals(2, rtxTimes.size(), rtxTimes.toString());
        assertTrue(rtxTimes.get(1) - rtxTimes.get(0) < ms(20), "second hole resent before the first repair's ACK: " + rtxTimes);
    }

    @Test
    void withTimestampsTheRetransmittedSegmentsAckGivesAnRttSample() {
        TwoHosts net = new TwoHosts(29);
        net.link = (from, ip, rng) -> ms(5);
        net.b.stack.listen(80, 16, s -> new TcpSocket.Listener() { });
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 80, new Client());
        net.sched.runUntil(ms(50));
        long[] cut = {1};
        net.link = (from, ip, rng) -> cut[0] == 1 ? -1 : ms(5);
        long t0 = net.sched.now();
        c.write(new byte[100]);
        net.sched.runUntil(t0 + sec(1)); // expiries at 210 and 630 ms: RTO backed off to 840 ms
        assertEquals(ms(840), c.rto());
        cut[0] = 0;
        net.sched.runUntil(t0 + sec(3));
        assertEquals(0, c.unacknowledged());
        assertTrue(c.rto() < ms(300), "the echoed TSval of the retransmission is a valid sample (RFC 7323): " + c.rto());
    }

    @Test
    void windowScaleFollowsTcpRmemMaxAsOnThisKernel() {
        // a real 6.18 kernel with tcp_rmem max 32 MiB sent: SYN win 64240 [mss 1460,sackOK,TS,nop,wscale 10],
        // SYN-ACK win 65160, first ACK win 63 (64240 rounded up to 1024-byte units)
        TwoHosts net = new TwoHosts(32);
        net.a.stack.setTcpRmemMax(32 * 1024 * 1024);
        net.b.stack.setTcpRmemMax(32 * 1024 * 1024);
        net.b.stack.listen(8080, 16, s -> new TcpSocket.Listener() { });
        net.a.stack.tcp().connect(net.b.addr, 8080, new Client());
        net.sched.runUntil(ms(10));
        List<TwoHosts.Sent> a = net.sentBy(net.a, 6);
        List<TwoHosts.Sent> b = net.sentBy(net.b, 6);
        assertEquals(64240, a.get(0).window());
        assertEquals(10, a.get(0).ip()[59]);
        assertEquals(65160, b.get(0).window());
        assertEquals(63, a.get(1).window());
    }
}
