package dev.simnet.host;

import static dev.simnet.host.TwoHosts.ms;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpSocketTest {

    @Test
    void echoServerAnswersFromItsPortAndClientGetsEphemeralPort() {
        TwoHosts net = new TwoHosts(1);
        UdpSocket server = net.b.stack.udp().bind(0, 7);
        server.setListener(s -> {
            byte[] buf = new byte[2048];
            int n;
            while ((n = s.receive(buf, 0, buf.length)) >= 0) {
                s.sendTo(s.lastSourceAddress(), s.lastSourcePort(), buf, 0, n);
            }
        });
        UdpSocket client = net.a.stack.udp();
        List<String> got = new ArrayList<>();
        client.setListener(s -> {
            UdpSocket.Datagram d;
            while ((d = s.receive()) != null) {
                got.add(new String(d.payload(), StandardCharsets.US_ASCII) + " from " + d.source() + ":" + d.sourcePort()
                        + " ttl " + d.ttl());
            }
        });
        client.sendTo(net.b.addr, 7, "hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        net.sched.runToQuiescence();
        assertEquals(List.of("hello from 10.0.0.2:7 ttl 64"), got);
        int port = client.localPort();
        assertTrue(port >= 32768 && port <= 60999, "ephemeral port " + port);
        assertEquals(1, net.a.stack.counters().udpOutDatagrams());
        assertEquals(1, net.a.stack.counters().udpInDatagrams());
        // the datagram on the wire: UDP header with a valid checksum and DF set (it fits the MTU)
        TwoHosts.Sent first = net.log.get(0);
        assertEquals(17, first.proto());
        assertEquals(0x40, first.ip()[6] & 0xe0);
        assertTrue(Inet.transportChecksumOk(first.ip(), 20, 13, net.a.addr, net.b.addr, 17));
    }

    @Test
    void closedPortGetsIcmpPortUnreachableQuotingTheDatagram() {
        TwoHosts net = new TwoHosts(2);
        UdpSocket client = net.a.stack.udp();
        List<Integer> errors = new ArrayList<>();
        client.setListener(new UdpSocket.Listener() {
            @Override
            public void onReadable(UdpSocket s) {
            }

            @Override
            public void onError(UdpSocket s, int errno) {
                errors.add(errno);
            }
        });
        client.sendTo(net.b.addr, 9999, new byte[] {1, 2, 3}, 0, 3);
        net.sched.runToQuiescence();
        List<TwoHosts.Sent> icmp = net.sentBy(net.b, 1);
        assertEquals(1, icmp.size());
        byte[] ip = icmp.get(0).ip();
        assertEquals(3, ip[20] & 0xff, "type destination unreachable");
        assertEquals(3, ip[21] & 0xff, "code port unreachable");
        assertEquals(0xc0, ip[1] & 0xff, "TOS internetwork control");
        byte[] original = net.sentBy(net.a, 17).get(0).ip();
        assertArrayEquals(original, Arrays.copyOfRange(ip, 28, ip.length), "the whole original datagram is quoted");
        assertEquals(0xffff, Inet.fold(Inet.sum(ip, 20, ip.length - 20)), "ICMP checksum");
        assertEquals(1, net.b.stack.counters().udpNoPorts());
        assertEquals(List.of(), errors, "an unconnected socket hears nothing");
        assertEquals(0, client.takeError());
    }

    @Test
    void connectedSocketGetsEconnrefused() {
        TwoHosts net = new TwoHosts(3);
        UdpSocket client = net.a.stack.udp().connect(net.b.addr, 53);
        assertEquals(net.a.addr, client.localAddress(), "connect fixes the source address");
        List<Integer> errors = new ArrayList<>();
        client.setListener(new UdpSocket.Listener() {
            @Override
            public void onReadable(UdpSocket s) {
            }

            @Override
            public void onError(UdpSocket s, int errno) {
                errors.add(errno);
            }
        });
        client.send(new byte[] {0});
        net.sched.runToQuiescence();
        assertEquals(List.of(Errno.ECONNREFUSED), errors);

        // without a listener the error waits and the next call reports it, like send/recv on Linux
        UdpSocket quiet = net.a.stack.udp().connect(net.b.addr, 54);
        quiet.send(new byte[] {0});
        net.sched.runToQuiescence();
        SocketError e = assertThrows(SocketError.class, () -> quiet.send(new byte[] {0}));
        assertEquals(Errno.ECONNREFUSED, e.errno());
    }

    @Test
    void connectedSocketOnlyReceivesFromItsPeer() {
        TwoHosts net = new TwoHosts(4);
        UdpSocket server = net.b.stack.udp().bind(0, 5000);
        UdpSocket other = net.b.stack.udp().bind(0, 5001);
        UdpSocket client = net.a.stack.udp().bind(0, 4000).connect(net.b.addr, 5000);
        server.sendTo(net.a.addr, 4000, new byte[] {1}, 0, 1);
        other.sendTo(net.a.addr, 4000, new byte[] {2}, 0, 1);
        net.sched.runToQuiescence();
        assertEquals(1, client.queuedDatagrams());
        assertEquals(1, client.receive().payload()[0]);
        assertEquals(1, net.a.stack.counters().udpNoPorts(), "the stranger's datagram finds no socket");
    }

    @Test
    void bindConflictsFollowSoReuseaddr() {
        TwoHosts net = new TwoHosts(5);
        HostStack st = net.a.stack;
        st.udp().bind(0, 5353);
        SocketError e = assertThrows(SocketError.class, () -> st.udp().bind(net.a.addr, 5353));
        assertEquals(Errno.EADDRINUSE, e.errno());
        st.udp().setReuseAddress(true).bind(0, 6000);
        st.udp().setReuseAddress(true).bind(0, 6000); // both set SO_REUSEADDR: shared
        assertEquals(Errno.EADDRINUSE, assertThrows(SocketError.class, () -> st.udp().bind(0, 6000)).errno());
        assertEquals(Errno.EADDRNOTAVAIL, assertThrows(SocketError.class,
                () -> st.udp().bind(net.b.addr, 7000)).errno());
        UdpSocket s = st.udp().bind(0, 7000);
        s.close();
        st.udp().bind(0, 7000); // free again after close
    }

    @Test
    void fullReceiveQueueDropsAndCounts() {
        TwoHosts net = new TwoHosts(6);
        net.b.stack.setUdpRecvBuffer(1000);
        UdpSocket server = net.b.stack.udp().bind(0, 9);
        UdpSocket client = net.a.stack.udp();
        for (int i = 0; i < 5; i++) {
            client.sendTo(net.b.addr, 9, new byte[300], 0, 300);
        }
        net.sched.runToQuiescence();
        assertEquals(3, server.queuedDatagrams());
        assertEquals(900, server.queuedBytes());
        assertEquals(2, server.drops());
        assertEquals(2, net.b.stack.counters().udpRcvbufErrors());
        byte[] buf = new byte[100];
        assertEquals(300, server.receive(buf, 0, 100), "recvfrom returns the full length, truncating the copy");
        assertEquals(2, server.queuedDatagrams());
    }

    @Test
    void ephemeralPortsAreSeededAndFollowLinuxParity() {
        TwoHosts n1 = new TwoHosts(7);
        TwoHosts n2 = new TwoHosts(7);
        TwoHosts n3 = new TwoHosts(8);
        int p1 = n1.a.stack.udp().bind(0, 0).localPort();
        int p2 = n2.a.stack.udp().bind(0, 0).localPort();
        int p3 = n3.a.stack.udp().bind(0, 0).localPort();
        assertEquals(p1, p2, "same seed, same port");
        assertTrue(p1 != p3, "another seed, another port");
        assertEquals(1, p1 & 1, "bind(0) picks odd ports (inet_csk_find_open_port)");
        int tcpPort = n1.a.stack.tcp().connect(n1.b.addr, 80, null).localPort();
        assertEquals(0, tcpPort & 1, "connect() picks even ports (__inet_hash_connect)");
        assertNull(n1.a.stack.udp().receive());
    }

    @Test
    void malformedDatagramsAreCountedNotThrown() {
        TwoHosts net = new TwoHosts(9);
        net.b.stack.udp().bind(0, 9);
        byte[] bad = new byte[28];
        bad[0] = 0x45;
        Inet.w16(bad, 2, 28);
        bad[9] = 17;
        Inet.w16(bad, 20 + 4, 200); // UDP length beyond the datagram
        dev.simnet.packet.PacketBuffer p = dev.simnet.packet.PacketBuffer.copyOf(bad, 0, bad.length);
        p.networkOffset = p.start();
        net.b.stack.receive(p, p.start() + 20, 8, net.a.addr, net.b.addr, 17, 64, 0);
        assertEquals(1, net.b.stack.counters().malformed());
        // bad checksum
        UdpSocket client = net.a.stack.udp();
        net.link = (from, ip, rng) -> {
            return ms(1);
        };
        client.sendTo(net.b.addr, 9, new byte[] {1, 2}, 0, 2);
        byte[] corrupt = net.log.get(net.log.size() - 1).ip().clone();
        corrupt[29] ^= 0x55;
        dev.simnet.packet.PacketBuffer q = dev.simnet.packet.PacketBuffer.copyOf(corrupt, 0, corrupt.length);
        q.networkOffset = q.start();
        net.b.stack.receive(q, q.start() + 20, corrupt.length - 20, net.a.addr, net.b.addr, 17, 64, 0);
        assertEquals(1, net.b.stack.counters().inCsumErrors());
    }

    @Test
    void portUnreachableIsRateLimitedLikeLinux() {
        TwoHosts net = new TwoHosts(10);
        UdpSocket client = net.a.stack.udp();
        // 10 datagrams at once: a burst of 6 errors, then one per second (icmp_ratelimit = 1000 ms)
        for (int i = 0; i < 10; i++) {
            client.sendTo(net.b.addr, 9999, new byte[] {1}, 0, 1);
        }
        net.sched.runUntil(ms(500));
        assertEquals(6, net.sentBy(net.b, 1).size());
        assertEquals(4, net.b.stack.counters().icmpRateLimited());
        net.sched.runUntil(ms(1500));
        client.sendTo(net.b.addr, 9999, new byte[] {1}, 0, 1);
        client.sendTo(net.b.addr, 9999, new byte[] {1}, 0, 1);
        net.sched.runUntil(ms(2000));
        assertEquals(7, net.sentBy(net.b, 1).size(), "one token refilled after a second");
        assertEquals(12, net.b.stack.counters().udpNoPorts(), "every datagram still counts as NoPorts");
    }
}
