package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.capture.FrameTap.Direction;
import dev.simnet.host.IpOutput;
import dev.simnet.ip.DropReason;
import dev.simnet.ns.Namespace;
import dev.simnet.testutil.Capture;
import dev.simnet.testutil.TestHost;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {
    static final long SEC = 1_000_000_000L;

    /** a 10.0.1.2 — r (10.0.1.1 | 10.0.2.1, forwarding) — b 10.0.2.2. */
    static final class Routed {
        final Simulation sim;
        final Namespace a;
        final Namespace r;
        final Namespace b;
        final Capture cap = new Capture();

        Routed(long seed, int mtuRB) {
            sim = new Simulation(seed);
            sim.tap(cap);
            a = sim.namespace("a");
            r = sim.namespace("r");
            b = sim.namespace("b");
            sim.vethPair(r, "r1", a, "eth0");
            sim.vethPair(r, "r2", sim.randomMac(), b, "eth0", sim.randomMac(), mtuRB);
            sim.addAddress(a, "eth0", "10.0.1.2/24");
            sim.addAddress(r, "r1", "10.0.1.1/24");
            sim.addAddress(r, "r2", "10.0.2.1/24");
            sim.addAddress(b, "eth0", "10.0.2.2/24");
            sim.setUp(a, "eth0");
            sim.setUp(b, "eth0");
            sim.setUp(r, "r1");
            sim.setUp(r, "r2");
            sim.addRoute(a, "default", "10.0.1.1");
            sim.addRoute(b, "default", "10.0.2.1");
            r.setIpForward(true);
        }
    }

    static int ip(String s) {
        return Ipv4Address.parseBits(s);
    }

    @Test
    void pingThroughRouterDecrementsTtl() {
        Routed t = new Routed(1, 1500);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 1, 56, 64, true, 0);
        t.sim.runFor(SEC);
        assertEquals(1, ha.replies.size(), t.cap.dump());
        assertEquals(63, ha.replies.get(0).ttl(), "reply crossed one router");
        List<Capture.Frame> atB = t.cap.on("b", "eth0", Direction.IN).stream().filter(f -> f.isIcmp(8)).toList();
        assertEquals(63, atB.get(0).ttl(), "request arrives with TTL 63");
        assertEquals(64, t.cap.on("a", "eth0", Direction.OUT).stream().filter(f -> f.isIcmp(8)).findFirst().get().ttl());
        assertEquals(0, t.sim.pool().outstanding());
    }

    @Test
    void withoutIpForwardTheRouterDropsSilently() {
        Routed t = new Routed(2, 1500);
        t.r.setIpForward(false);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 1, 56, 64, true, 0);
        t.sim.runFor(SEC);
        assertEquals(0, ha.replies.size());
        assertEquals(0, ha.errors.size(), "Linux sends no ICMP when forwarding is off");
        assertEquals(1, t.r.drops(DropReason.NOT_FORWARDING));
    }

    @Test
    void ttlExpiryGivesTimeExceededFromTheRouter() {
        Routed t = new Routed(3, 1500);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 1, 56, 1, true, 0);
        t.sim.runFor(SEC);
        assertEquals(0, ha.replies.size());
        assertEquals(1, ha.errors.size(), t.cap.dump());
        TestHost.IcmpError e = ha.errors.get(0);
        assertEquals(11, e.type());
        assertEquals(0, e.code());
        assertEquals(ip("10.0.1.1"), e.src(), "sent from the router's address toward the sender");
        assertEquals(ip("10.0.2.2"), e.quotedDst());
        // header fields as a real Linux router sends them (checked with tcpdump -v on kernel namespaces):
        // IP (tos 0xc0, ttl 64, flags [none], proto ICMP, length 112), quoting the TTL-1 request
        Capture.Frame te = t.cap.on("a", "eth0", Direction.IN).stream().filter(f -> f.isIcmp(11)).findFirst().get();
        byte[] x = te.bytes();
        assertEquals(0xc0, x[15] & 0xff);
        assertEquals(64, x[22] & 0xff);
        assertEquals(0, dev.simnet.device.Frames.u16(x, 20));
        assertEquals(112, dev.simnet.device.Frames.u16(x, 16));
        assertEquals(1, x[14 + 20 + 8 + 8] & 0xff, "quoted header keeps TTL 1");
    }

    @Test
    void noRouteGivesNetUnreachable() {
        Routed t = new Routed(4, 1500);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("192.0.2.9"), 1, 1, 56, 64, true, 0);
        t.sim.runFor(SEC);
        assertEquals(1, ha.errors.size());
        assertEquals(3, ha.errors.get(0).type());
        assertEquals(0, ha.errors.get(0).code());
        // and locally: no route at all
        Namespace lonely = t.sim.namespace("lonely");
        assertEquals(IpOutput.ENETUNREACH, new TestHost(lonely).ping(ip("10.0.2.2"), 1, 1, 8, 64, false, t.sim.now()));
    }

    @Test
    void dfWithSmallMtuGivesFragNeededWithTheMtu() {
        Routed t = new Routed(5, 1000);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 1, 1200, 64, true, 0);
        t.sim.runFor(SEC);
        assertEquals(0, ha.replies.size());
        assertEquals(1, ha.errors.size(), t.cap.dump());
        assertEquals(3, ha.errors.get(0).type());
        assertEquals(4, ha.errors.get(0).code());
        assertEquals(1000, ha.errors.get(0).info(), "next-hop MTU in the ICMP header");
        assertEquals(1000, t.a.mtuFor(ip("10.0.2.2")), "path MTU learned from the ICMP (route exception)");
        assertEquals(1500, t.a.mtuFor(ip("10.0.1.1")));
        assertEquals(IpOutput.EMSGSIZE, ha.ping(ip("10.0.2.2"), 1, 3, 1200, 64, true, t.sim.now()), "DF above the path MTU: EMSGSIZE");
        t.sim.runFor(600 * SEC);
        assertEquals(1500, t.a.mtuFor(ip("10.0.2.2")), "expired after mtu_expires (600 s)");
        // DF and too big for the local interface: EMSGSIZE at once
        assertEquals(IpOutput.EMSGSIZE, ha.ping(ip("10.0.2.2"), 1, 2, 1600, 64, true, t.sim.now()));
    }

    @Test
    void fragmentationAndReassemblyRoundTrip() {
        Routed t = new Routed(6, 1000);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 1, 3000, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(1, ha.replies.size(), t.cap.dump());
        assertEquals(3008, ha.replies.get(0).icmpLength(), "whole echo reply reassembled");
        long fragsOutOfA = t.cap.on("a", "eth0", Direction.OUT).stream().filter(f -> f.etherType() == 0x0800).count();
        assertEquals(3, fragsOutOfA, "3028-byte datagram in 1500-byte MTU: 1480+1480+48");
        long fragsIntoB = t.cap.on("b", "eth0", Direction.IN).stream().filter(f -> f.etherType() == 0x0800).count();
        assertEquals(5, fragsIntoB, "the router refragments each 1500-byte fragment for the 1000-byte link: 976+504, 976+504, 48");
        assertEquals(0, t.sim.pool().outstanding());
    }

    @Test
    void fragmentReassemblyTimesOutAfter30Seconds() {
        Routed t = new Routed(7, 1500);
        TestHost hb = new TestHost(t.b);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 1, 56, 64, true, 0); // resolve ARP on both links
        t.sim.runFor(SEC);
        // a first fragment (MF set, offset 0) whose rest never comes, injected on the router's r2
        dev.simnet.packet.PacketBuffer p = t.sim.pool().acquire();
        p.setLength(14 + 20 + 16);
        byte[] b = p.data();
        int s = p.start();
        dev.simnet.device.Frames.writeEth(b, s, t.b.device("eth0").mac(), t.r.device("r2").mac(), 0x0800);
        dev.simnet.device.Frames.writeIpHeader(b, s + 14, 0, 36, 0x1234, dev.simnet.device.Frames.IP_MF, 63, 1,
                ip("10.0.1.2"), ip("10.0.2.2"));
        b[s + 34] = 8;
        t.r.device("r2").transmit(p, t.sim.now());
        long sent = t.sim.now();
        t.sim.runFor(1000);
        assertEquals(1, t.b.reassembler().pending());
        t.sim.scheduler().runUntil(sent + 30 * SEC - 1);
        assertEquals(1, t.b.reassembler().pending(), "still waiting just before ipfrag_time");
        t.sim.runFor(SEC);
        assertEquals(0, t.b.reassembler().pending());
        assertEquals(1, t.b.reassembler().failed);
        assertEquals(1, ha.errors.size(), t.cap.dump());
        assertEquals(11, ha.errors.get(0).type());
        assertEquals(1, ha.errors.get(0).code(), "fragment reassembly time exceeded");
        assertEquals(ip("10.0.2.2"), ha.errors.get(0).src());
        assertEquals(0, hb.datagrams.size());
        assertEquals(0, t.sim.pool().outstanding());
    }

    @Test
    void timeExceededIsRateLimitedPerPeerWithBurstSixThenOnePerSecond() {
        Routed t = new Routed(8, 1500);
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.2.2"), 1, 0, 8, 64, false, 0); // resolve ARP first
        t.sim.runFor(SEC);
        for (int i = 1; i <= 10; i++) {
            ha.ping(ip("10.0.2.2"), 1, i, 8, 1, false, t.sim.now());
        }
        t.sim.runFor(1000);
        assertEquals(6, ha.errors.size(), "burst of 6 (XRLIM_BURST_FACTOR)");
        assertEquals(4, t.r.icmpRateLimited());
        t.sim.runFor(SEC);
        ha.ping(ip("10.0.2.2"), 1, 11, 8, 1, false, t.sim.now());
        ha.ping(ip("10.0.2.2"), 1, 12, 8, 1, false, t.sim.now());
        t.sim.runFor(1000);
        assertEquals(7, ha.errors.size(), "then one token per icmp_ratelimit (1 s)");
    }

    @Test
    void forwardingBackOutTheIngressInterfaceSendsARedirectAndStillForwards() {
        Routed t = new Routed(9, 1500);
        // r routes 10.0.9.0/24 via 10.0.1.2, a neighbour on the link the packet came in on
        t.sim.addRoute(t.r, "10.0.9.0/24", "10.0.1.2");
        TestHost ha = new TestHost(t.a);
        ha.ping(ip("10.0.9.5"), 1, 1, 8, 64, false, 0); // a -> r (default route) -> back out r1 to a
        t.sim.runFor(SEC);
        assertEquals(1, t.r.redirectsSent);
        assertTrue(ha.errors.isEmpty(), "redirects are not errors for the socket layer");
        long redirects = t.cap.on("a", "eth0", Direction.IN).stream()
                .filter(f -> f.etherType() == 0x0800 && (f.bytes()[23] & 0xff) == 1 && (f.bytes()[34] & 0xff) == 5).count();
        assertEquals(1, redirects);
        Capture.Frame rd = t.cap.on("a", "eth0", Direction.IN).stream()
                .filter(f -> f.etherType() == 0x0800 && (f.bytes()[34] & 0xff) == 5).findFirst().get();
        assertEquals(ip("10.0.1.2"), dev.simnet.device.Frames.u32(rd.bytes(), 38), "gateway field names the next hop");
        assertEquals(63, rd.bytes()[14 + 20 + 8 + 8] & 0xff, "quotes the packet after the TTL decrement, as Linux does");
        List<Capture.Frame> outR1 = t.cap.on("r", "r1", Direction.OUT).stream().filter(f -> f.etherType() == 0x0800).toList();
        assertEquals(5, outR1.get(0).bytes()[34] & 0xff, "the redirect leaves before the forwarded packet");
        assertEquals(8, outR1.get(1).bytes()[34] & 0xff);
    }
}
