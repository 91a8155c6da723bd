package dev.simnet.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.link.Netem;
import dev.simnet.ns.Namespace;
import dev.simnet.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host stack on real simulated namespaces: two containers on a bridge in a "host" namespace
 * (veth pairs, ARP, the bridge's FDB), with netem impairments on the containers' eth0.
 */
class HostStackOnNamespacesTest {
    static final long MS = 1_000_000L;
    static final long SEC = 1_000_000_000L;
    static final int A = Ipv4Address.parseBits("172.18.0.2");
    static final int B = Ipv4Address.parseBits("172.18.0.3");

    /** host namespace with br0; a and b attached by veth pairs, as Docker wires two containers. */
    static Simulation topology(long seed) {
        Simulation sim = new Simulation(seed);
        Namespace host = sim.namespace("host");
        Namespace a = sim.namespace("a");
        Namespace b = sim.namespace("b");
        BridgeDevice br = sim.bridge(host, "br0");
        sim.vethPair(host, "veth-a", a, "eth0");
        sim.vethPair(host, "veth-b", b, "eth0");
        sim.enslave(br, "veth-a");
        sim.enslave(br, "veth-b");
        sim.addAddress(a, "eth0", "172.18.0.2/16");
        sim.addAddress(b, "eth0", "172.18.0.3/16");
        for (String p : List.of("veth-a", "veth-b", "br0")) {
            sim.setUp(host, p);
        }
        sim.setUp(a, "eth0");
        sim.setUp(b, "eth0");
        return sim;
    }

    @Test
    void tcpEchoAcrossTheBridge() {
        Simulation sim = topology(1);
        HostStack a = sim.ns("a").hostStack();
        HostStack b = sim.ns("b").hostStack();
        b.listen(7, 128, s -> new TcpSocketTest.Echo());
        TcpSocketTest.Client cl = new TcpSocketTest.Client();
        TcpSocket c = a.tcp().connect(B, 7, new TcpSocket.Listener() {
            @Override
            public void onConnected(TcpSocket s) {
                cl.events.add("connected");
                s.write("hello through veth and bridge".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void onData(TcpSocket s) {
                cl.onData(s);
            }
        });
        sim.runFor(SEC);
        assertEquals(List.of("connected"), cl.events);
        assertEquals("hello through veth and bridge", cl.data.toString(StandardCharsets.US_ASCII));
        assertEquals(A, c.localAddress(), "source address chosen by the namespace's route");
        assertEquals(1448, c.mss(), "MSS from eth0's MTU 1500 (1460) less 12 bytes of timestamps, as Linux's mss_cache");
        String ss = SsRenderer.render(b.sockets(), "-tan");
        assertTrue(ss.contains("ESTAB  0      0         172.18.0.3:7      172.18.0.2:" + c.localPort()), ss);
    }

    @Test
    void udpToAClosedPortGetsPortUnreachableThroughTheNamespace() {
        Simulation sim = topology(2);
        HostStack a = sim.ns("a").hostStack();
        sim.ns("b").hostStack();
        UdpSocket u = a.udp().connect(B, 9999);
        List<Integer> errors = new ArrayList<>();
        u.setListener(new UdpSocket.Listener() {
            @Override
            public void onReadable(UdpSocket s) {
            }

            @Override
            public void onError(UdpSocket s, int errno) {
                errors.add(errno);
            }
        });
        u.send(new byte[] {1});
        sim.runFor(SEC);
        assertEquals(List.of(Errno.ECONNREFUSED), errors);
        assertEquals(1, sim.ns("b").hostStack().counters().icmpOutDestUnreachs());
    }

    @Test
    void pingFirstReplyPaysForArp() {
        Simulation sim = topology(3);
        sim.setImpairment(sim.ns("a"), "eth0", Netem.none().withDelay(MS));
        sim.setImpairment(sim.ns("b"), "eth0", Netem.none().withDelay(MS));
        sim.ns("b").hostStack();
        IcmpEchoSocket ping = sim.ns("a").hostStack().ping(1234);
        assertEquals(Errno.EADDRINUSE, org.junit.jupiter.api.Assertions.assertThrows(SocketError.class,
                () -> sim.ns("a").hostStack().ping(1234)).errno());
        List<String> replies = new ArrayList<>();
        ping.setListener((from, seq, ttl, len, sentAt, now) ->
                replies.add(Ipv4Address.format(from) + " seq=" + seq + " ttl=" + ttl + " bytes=" + (len + 8)
                        + " rtt=" + (now - sentAt)));
        for (int i = 1; i <= 3; i++) {
            int seq = i;
            sim.scheduler().schedule(sim.now() + (i - 1) * SEC, t -> ping.send(B, seq, 56, 64));
        }
        sim.runFor(3 * SEC);
        assertEquals(3, replies.size(), replies.toString());
        for (String r : replies) {
            assertTrue(r.startsWith("172.18.0.3 seq=") && r.contains(" ttl=64 bytes=64 "), r);
        }
        long rtt1 = Long.parseLong(replies.get(0).replaceAll(".*rtt=", ""));
        long rtt2 = Long.parseLong(replies.get(1).replaceAll(".*rtt=", ""));
        assertEquals(2 * MS, rtt2, "1 ms each way");
        assertTrue(rtt1 > rtt2, "the first echo waited for ARP: " + replies);
    }

    @Test
    void pingToAnAddressNobodyHasReportsHostUnreachable() {
        Simulation sim = topology(4);
        IcmpEchoSocket ping = sim.ns("a").hostStack().ping();
        List<String> errors = new ArrayList<>();
        ping.setListener(new IcmpEchoSocket.Listener() {
            @Override
            public void onReply(int from, int sequence, int ttl, int payloadLen, long sentAt, long now) {
            }

            @Override
            public void onError(int reporter, int type, int code, int seq, long now) {
                errors.add(Ipv4Address.format(reporter) + " type " + type + " code " + code + " seq " + seq);
            }
        });
        ping.send(Ipv4Address.parseBits("172.18.0.99"), 1, 56, 64);
        sim.runFor(10 * SEC);
        assertEquals(List.of("172.18.0.2 type 3 code 1 seq 1"), errors, "From 172.18.0.2 icmp_seq=1 Destination Host Unreachable");
    }

    @Test
    void tenMegabytesAcrossNetemFivePercentLossAndTwentyMsJitter() {
        Simulation sim = topology(42);
        Netem netem = Netem.none().withDelay(20 * MS, 5 * MS, Netem.Distribution.UNIFORM).withLoss(5);
        sim.setImpairment(sim.ns("a"), "eth0", netem);
        sim.setImpairment(sim.ns("b"), "eth0", netem);
        long total = 10L * 1024 * 1024;
        TcpBulkTransferTest.Sink sink = new TcpBulkTransferTest.Sink();
        sim.ns("b").hostStack().listen(5001, 16, s -> sink);
        TcpBulkTransferTest.Source src = new TcpBulkTransferTest.Source(total, 99);
        long t0 = sim.now();
        sim.ns("a").hostStack().tcp().connect(B, 5001, src);
        sim.runFor(900 * SEC);
        assertEquals(total, sink.received, "every byte arrived");
        assertArrayEquals(src.sha.digest(), sink.sha.digest(), "byte-exact (SHA-256)");
        long took = sink.finishedAt - t0;
        assertTrue(took > 0 && took < 600 * SEC, "bounded virtual time: " + took);
        HostCounters c = sim.ns("a").hostStack().counters();
        assertTrue(c.tcpRetransSegs() > 0);
        System.out.printf("netem 10 MiB, 5%% loss each way, 20±5 ms each way: %.1f s virtual (%.0f kB/s), %d retransmitted,"
                + " %d fast retransmits, %d timeouts%n", took / 1e9, total / (took / 1e9) / 1000, c.tcpRetransSegs(),
                c.tcpFastRetrans(), c.tcpTimeouts());
    }

    @Test
    void goodputUnderTenMegabitRateLimitIsWithinFivePercent() {
        Simulation sim = topology(5);
        sim.setImpairment(sim.ns("a"), "eth0", Netem.none().withDelay(5 * MS).withRate(10_000_000));
        long total = 6L * 1024 * 1024;
        TcpBulkTransferTest.Sink sink = new TcpBulkTransferTest.Sink();
        sim.ns("b").hostStack().listen(5001, 16, s -> sink);
        TcpBulkTransferTest.Source src = new TcpBulkTransferTest.Source(total, 5);
        long t0 = sim.now();
        sim.ns("a").hostStack().tcp().connect(B, 5001, src);
        sim.runFor(60 * SEC);
        assertEquals(total, sink.received);
        assertArrayEquals(src.sha.digest(), sink.sha.digest());
        sim.runFor(120 * SEC);
        System.out.println("outstanding buffers after the rate-limited transfer: " + sim.pool().outstanding()
                + ", allocated " + sim.pool().allocatedCount());
        double seconds = (sink.finishedAt - t0) / 1e9;
        double goodput = total * 8 / seconds;
        System.out.printf("10 Mbit/s netem rate: %d bytes in %.3f s virtual = %.3f Mbit/s goodput%n", total, seconds, goodput / 1e6);
        assertTrue(Math.abs(goodput - 10_000_000) <= 500_000, "goodput " + goodput + " bit/s not within 5% of 10 Mbit/s");
    }

    @Test
    void loopbackConnectionInsideOneNamespace() {
        Simulation sim = topology(7);
        HostStack a = sim.ns("a").hostStack();
        a.tcpServer().setOwner("redis", 1).bind(Ipv4Address.parseBits("127.0.0.1"), 6379).listen(511, s -> new TcpSocketTest.Echo());
        TcpSocketTest.Client cl = new TcpSocketTest.Client();
        TcpSocket c = a.tcp().setOwner("redis-cli", 2).connect(Ipv4Address.parseBits("127.0.0.1"), 6379, new TcpSocket.Listener() {
            @Override
            public void onConnected(TcpSocket s) {
                s.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void onData(TcpSocket s) {
                cl.onData(s);
            }
        });
        sim.runFor(100 * MS);
        assertEquals("PING\r\n", cl.data.toString(StandardCharsets.US_ASCII));
        assertEquals(65483, c.mss(), "lo's MTU 65536 gives Linux's 65495 (65535 - 40), less 12 for timestamps");
        assertEquals(Ipv4Address.parseBits("127.0.0.1"), c.localAddress());
        String ss = SsRenderer.render(a.sockets(), "-tanp");
        assertTrue(ss.contains("LISTEN 0      511        127.0.0.1:6379"), ss);
        assertTrue(ss.contains("ESTAB  0      0          127.0.0.1:6379     127.0.0.1:" + c.localPort()), ss);
        assertTrue(ss.contains("users:((\"redis\",pid=1,fd=4))"), ss);
        assertTrue(ss.contains("users:((\"redis-cli\",pid=2,fd=3))"), ss);
    }

    @Test
    void connectingToAnotherNamespacesClosedPortGetsRst() {
        Simulation sim = topology(8);
        sim.ns("b").hostStack();
        TcpSocketTest.Client cl = new TcpSocketTest.Client();
        sim.ns("a").hostStack().tcp().connect(B, 8080, cl);
        sim.runFor(SEC);
        assertEquals(List.of("error ECONNREFUSED"), cl.events);
    }

    @Test
    void connectToAnAddressNobodyHasFailsWithEhostunreachAfterArpGivesUp() {
        Simulation sim = topology(9);
        TcpSocketTest.Client cl = new TcpSocketTest.Client();
        TcpSocket c = sim.ns("a").hostStack().tcp().connect(Ipv4Address.parseBits("172.18.0.99"), 80, cl);
        sim.runFor(2 * SEC);
        assertEquals(List.of(), cl.events, "still resolving");
        assertEquals(TcpState.SYN_SENT, c.state());
        sim.runFor(8 * SEC);
        // ARP fails after 3 probes 1 s apart; the ICMP host unreachable aborts the connect (tcp_v4_err in SYN_SENT)
        assertEquals(List.of("error EHOSTUNREACH"), cl.events);
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void userlandProxyRelaysAPublishedPortLikeDockerProxy() {
        Simulation sim = topology(11);
        // the "host" namespace gets the bridge address, as docker0 has; the proxy there forwards 8080 to b:80
        sim.addAddress(sim.ns("host"), "br0", "172.18.0.1/16");
        HostStack host = sim.ns("host").hostStack();
        SocketApps.tcpEchoServer(sim.ns("b").hostStack(), 80, "nginx", 1);
        SocketApps.tcpProxy(host, 0, 8080, B, 80, "docker-proxy", 4242);
        byte[] req = new byte[300_000];
        for (int i = 0; i < req.length; i++) {
            req[i] = (byte) (i * 17);
        }
        List<byte[]> replies = new ArrayList<>();
        List<Integer> errors = new ArrayList<>();
        SocketApps.request(sim.ns("a").hostStack(), Ipv4Address.parseBits("172.18.0.1"), 8080, req, true, (r, e) -> {
            replies.add(r);
            errors.add(e);
        });
        sim.runFor(5 * SEC);
        assertEquals(List.of(0), errors);
        assertArrayEquals(req, replies.get(0), "every byte went client -> proxy -> backend -> proxy -> client");
        String ss = SsRenderer.render(host.sockets(), "-tlnp");
        assertTrue(ss.contains("0.0.0.0:8080") && ss.contains("users:((\"docker-proxy\",pid=4242,fd=3))"), ss);

        // backend gone: the client sees the proxy close the connection (end of stream, no data)
        List<Integer> errs2 = new ArrayList<>();
        List<byte[]> replies2 = new ArrayList<>();
        SocketApps.tcpProxy(host, 0, 8081, B, 81, "docker-proxy", 4243);
        SocketApps.request(sim.ns("a").hostStack(), Ipv4Address.parseBits("172.18.0.1"), 8081, new byte[] {1}, false, (r, e) -> {
            replies2.add(r);
            errs2.add(e);
        });
        sim.runFor(5 * SEC);
        assertEquals(List.of(0), errs2, "a clean close, not a reset");
        assertEquals(0, replies2.get(0).length);
    }
}
