package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.capture.FrameTap.Direction;
import dev.simnet.device.Frames;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.l2.Fdb;
import dev.simnet.ns.Namespace;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.testutil.Capture;
import dev.simnet.testutil.TestHost;
import dev.simnet.wire.Bytes;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeDatapathTest {
    static final long SEC = 1_000_000_000L;

    /** host namespace with br0 172.31.250.1/24; containers a (.2) and b (.3) on it. */
    static final class Topo {
        final Simulation sim;
        final Namespace host;
        final Namespace a;
        final Namespace b;
        final BridgeDevice br;
        final Capture cap = new Capture();

        Topo(long seed) {
            sim = new Simulation(seed);
            sim.tap(cap);
            host = sim.namespace("host");
            a = sim.namespace("a");
            b = sim.namespace("b");
            br = sim.bridge(host, "br0", MacAddress.parse("02:42:9a:00:00:01").bits());
            sim.vethPair(host, "vetha", a, "eth0");
            sim.vethPair(host, "vethb", b, "eth0");
            sim.enslave(br, "vetha");
            sim.enslave(br, "vethb");
            sim.addAddress(host, "br0", "172.31.250.1/24");
            sim.addAddress(a, "eth0", "172.31.250.2/24");
            sim.addAddress(b, "eth0", "172.31.250.3/24");
            for (String i : List.of("br0", "vetha", "vethb")) {
                sim.setUp(host, i);
            }
            sim.setUp(a, "eth0");
            sim.setUp(b, "eth0");
            sim.addRoute(a, "default", "172.31.250.1");
            sim.addRoute(b, "default", "172.31.250.1");
        }
    }

    static int ip(String s) {
        return Ipv4Address.parseBits(s);
    }

    @Test
    void firstPingPaysArpThenEchoAndReply() {
        Topo t = new Topo(1);
        TestHost ha = new TestHost(t.a);
        assertEquals(0, ha.ping(ip("172.31.250.3"), 7, 1, 56, 64, true, t.sim.now()));
        t.sim.runFor(SEC);
        assertEquals(1, ha.replies.size(), t.cap.dump());
        TestHost.Reply r = ha.replies.get(0);
        assertEquals(ip("172.31.250.3"), r.src());
        assertEquals(64, r.ttl(), "switched at layer 2: no TTL decrement");
        assertEquals(64, r.icmpLength());

        List<Capture.Frame> out = t.cap.on("a", "eth0", Direction.OUT);
        List<Capture.Frame> in = t.cap.on("a", "eth0", Direction.IN);
        assertTrue(out.get(0).isArp() && out.get(0).arpOp() == 1, "first frame out is the ARP request: " + t.cap.dump());
        assertTrue(in.get(0).isArp() && in.get(0).arpOp() == 2, "then the ARP reply comes in");
        assertTrue(out.get(1).isIcmp(8), "then the echo request");
        assertTrue(in.get(1).isIcmp(0), "then the echo reply");
        assertEquals(6, MacAddress.readBits(out.get(0).bytes(), 0) == 0xffff_ffff_ffffL ? 6 : 0, "request is broadcast");

        // second ping: no more ARP
        int before = t.cap.frames.size();
        ha.ping(ip("172.31.250.3"), 7, 2, 56, 64, true, t.sim.now());
        t.sim.runFor(SEC);
        assertEquals(2, ha.replies.size());
        assertTrue(t.cap.frames.subList(before, t.cap.frames.size()).stream().noneMatch(Capture.Frame::isArp));
        assertEquals(0, t.sim.pool().outstanding(), "no buffer leaked");
    }

    @Test
    void aBacklogDelayIsPaidOncePerVethCrossing() {
        long d = 7_000; // 7 µs per crossing
        Topo t = new Topo(1);
        t.sim.backlog().setDelayNs(d);
        TestHost ha = new TestHost(t.a);
        long t0 = t.sim.now();
        ha.ping(ip("172.31.250.3"), 7, 1, 56, 64, true, t0);
        t.sim.runFor(SEC);
        // a -> vetha, vethb -> b: two crossings each way; the first ping also waits for ARP (another round trip)
        assertEquals(1, ha.replies.size(), t.cap.dump());
        assertEquals(t0 + 8 * d, ha.replies.get(0).time(), "ARP round trip + echo round trip, 4 crossings each");
        List<Capture.Frame> vethbOut = t.cap.on("host", "vethb", Direction.OUT);
        List<Capture.Frame> bIn = t.cap.on("b", "eth0", Direction.IN);
        assertEquals(vethbOut.get(0).time() + d, bIn.get(0).time(), "received one delay after the peer end sent it");
        long t1 = t.sim.now();
        ha.ping(ip("172.31.250.3"), 7, 2, 56, 64, true, t1);
        t.sim.runFor(SEC);
        assertEquals(t1 + 4 * d, ha.replies.get(1).time(), "a resolved neighbour: 4 crossings");
        assertEquals(0, t.sim.pool().outstanding(), "no buffer leaked");
    }

    @Test
    void withoutABacklogDelayFramesCrossAtTheSameVirtualTime() {
        Topo t = new Topo(1);
        assertEquals(0, t.sim.backlog().delayNs());
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("172.31.250.3"), 7, 1, 56, 64, true, 0);
        t.sim.runFor(SEC);
        assertEquals(0, ha.replies.get(0).time());
    }

    @Test
    void arpRequestIsFloodedAndReplyForwardedToLearnedPortOnly() {
        Topo t = new Topo(2);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("172.31.250.3"), 1, 1, 56, 64, true, 0);
        t.sim.runFor(SEC);
        // broadcast request from a: flooded out vethb (the only other port) and up to br0
        assertTrue(t.cap.on("host", "vethb", Direction.OUT).get(0).isArp());
        assertTrue(t.cap.on("host", "br0", Direction.IN).get(0).isArp(), "broadcast also goes up the bridge device");
        // the reply (unicast to a's MAC, learned from the request) leaves by vetha only
        long arpRepliesOnVetha = t.cap.on("host", "vetha", Direction.OUT).stream().filter(f -> f.isArp() && f.arpOp() == 2).count();
        long arpRepliesOnBr = t.cap.on("host", "br0", Direction.IN).stream().filter(f -> f.isArp() && f.arpOp() == 2).count();
        assertEquals(1, arpRepliesOnVetha);
        assertEquals(0, arpRepliesOnBr);
        long macA = t.a.device("eth0").mac();
        long macB = t.b.device("eth0").mac();
        assertEquals(t.br.portNumber(t.host.device("vetha")), t.br.fdb().lookup(macA, t.sim.now()));
        assertEquals(t.br.portNumber(t.host.device("vethb")), t.br.fdb().lookup(macB, t.sim.now()));
    }

    @Test
    void unknownUnicastIsFloodedThenForwardedOnceLearned() {
        Topo t = new Topo(3);
        Namespace c = t.sim.namespace("c");
        t.sim.vethPair(t.host, "vethc", c, "eth0");
        t.sim.enslave(t.br, "vethc");
        t.sim.setUp(t.host, "vethc");
        t.sim.setUp(c, "eth0");
        long macB = t.b.device("eth0").mac();
        // a sends a raw frame to b's MAC, which the bridge has never seen
        sendRaw(t, t.a, macB);
        t.sim.runFor(1000);
        assertEquals(1, t.cap.on("host", "vethb", Direction.OUT).size(), "flooded to b");
        assertEquals(1, t.cap.on("host", "vethc", Direction.OUT).size(), "and to c");
        assertEquals(0, t.cap.on("host", "vetha", Direction.OUT).size(), "never back out the ingress port");
        // b speaks: the bridge learns its port
        sendRaw(t, t.b, t.a.device("eth0").mac());
        t.sim.runFor(1000);
        sendRaw(t, t.a, macB);
        t.sim.runFor(1000);
        assertEquals(2, t.cap.on("host", "vethb", Direction.OUT).size(), "forwarded to b");
        assertEquals(1, t.cap.on("host", "vethc", Direction.OUT).size(), "no longer flooded to c");
    }

    @Test
    void fdbEntriesAgeOutAfter300Seconds() {
        Topo t = new Topo(4);
        sendRaw(t, t.a, 0x02_00_00_00_00_99L);
        t.sim.runFor(1000);
        long macA = t.a.device("eth0").mac();
        long learnedAt = t.cap.on("host", "vetha", Direction.IN).get(0).time();
        t.sim.scheduler().runUntil(learnedAt + 300 * SEC - 1);
        assertTrue(t.br.fdb().lookup(macA, t.sim.now()) >= 0, "still known just before 300 s");
        assertTrue(dev.simnet.ns.render.IpRender.bridgeFdb(t.host, t.sim.now()).contains(MacAddress.format(macA)));
        t.sim.scheduler().runUntil(learnedAt + 300 * SEC);
        assertEquals(Fdb.MISS, t.br.fdb().lookup(macA, t.sim.now()), "aged out at 300 s");
        assertFalse(dev.simnet.ns.render.IpRender.bridgeFdb(t.host, t.sim.now()).contains(MacAddress.format(macA)));
    }

    @Test
    void hairpinSendsBackOutTheIngressPortOnlyWhenEnabled() {
        Topo t = new Topo(5);
        long macA = t.a.device("eth0").mac();
        sendRaw(t, t.a, 0x02_00_00_00_00_99L); // learn a on vetha
        t.sim.runFor(1000);
        int base = t.cap.on("host", "vetha", Direction.OUT).size();
        sendRaw(t, t.a, macA); // a to itself via the bridge
        t.sim.runFor(1000);
        assertEquals(base, t.cap.on("host", "vetha", Direction.OUT).size());
        assertEquals(1, t.br.dropSamePort);
        t.br.setHairpin(t.host.device("vetha"), true);
        sendRaw(t, t.a, macA);
        t.sim.runFor(1000);
        assertEquals(base + 1, t.cap.on("host", "vetha", Direction.OUT).size());
    }

    @Test
    void gratuitousArpIsSentThreeTimesOneSecondApart() {
        Topo t = new Topo(6);
        t.a.announce("eth0", 3, SEC);
        t.sim.runFor(5 * SEC);
        List<Capture.Frame> g = t.cap.on("a", "eth0", Direction.OUT).stream().filter(Capture.Frame::isArp).toList();
        assertEquals(3, g.size());
        assertEquals(SEC, g.get(1).time() - g.get(0).time());
        assertEquals(SEC, g.get(2).time() - g.get(1).time());
        byte[] f = g.get(0).bytes();
        assertEquals(Bytes.i32(f, 28), Bytes.i32(f, 38), "sender and target IP are the same");
    }

    @Test
    void deletingAVethRemovesBothEndsTheirFdbEntriesAndRoutes() {
        Topo t = new Topo(7);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("172.31.250.3"), 1, 1, 8, 64, false, 0);
        t.sim.runFor(SEC);
        long macB = t.b.device("eth0").mac();
        assertTrue(t.br.fdb().lookup(macB, t.sim.now()) >= 0);
        t.sim.deleteLink(t.b, "eth0");
        assertEquals(Fdb.MISS, t.br.fdb().lookup(macB, t.sim.now()), "port's entries flushed");
        assertFalse(dev.simnet.ns.render.IpRender.ipAddr(t.host).contains("vethb"));
        assertFalse(dev.simnet.ns.render.IpRender.ipAddr(t.b).contains("eth0"));
        assertEquals("", dev.simnet.ns.render.IpRender.ipRoute(t.b));
        assertEquals(1, t.br.ports().size());
        // the bridge still forwards for the remaining port, and flooding skips the released slot
        ha.ping(ip("172.31.250.1"), 1, 2, 8, 64, false, t.sim.now());
        t.sim.runFor(SEC);
        assertEquals(2, ha.replies.size(), "the bridge's own address answers");
        assertEquals(0, t.sim.pool().outstanding());
    }

    @Test
    void framesLongerThanThePeersMtuAreDroppedOnTheVeth() {
        Topo t = new Topo(8);
        TestHost ha = new TestHost(t.a);
        new TestHost(t.b);
        t.b.device("eth0").setMtu(1000);
        ha.ping(ip("172.31.250.3"), 1, 1, 1400, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(0, ha.replies.size());
        assertEquals(1, t.b.device("eth0").counters().rxDropped, "is_skb_forwardable() drop on the receiving end");
        assertEquals(1, t.host.device("vethb").counters().txDropped);
        assertEquals(0, t.sim.pool().outstanding());
    }

    static void sendRaw(Topo t, Namespace from, long dstMac) {
        PacketBuffer p = t.sim.pool().acquire();
        p.setLength(60);
        Frames.writeEth(p.data(), p.start(), dstMac, from.device("eth0").mac(), 0x88b5);
        from.device("eth0").transmit(p, t.sim.now());
    }
}
