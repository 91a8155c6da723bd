package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.device.Frames;
import dev.simnet.host.IpOutput;
import dev.simnet.ip.DropReason;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.PacketFilter;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.testutil.TestHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IP layer calls netfilter at the five hooks exactly where Linux does, with the right interfaces. */
class HookOrderTest {
    static final long SEC = 1_000_000_000L;

    static final class Recorder implements PacketFilter {
        final List<String> seen = new ArrayList<>();
        final String ns;
        Hook dropAt;
        int dnatTo;
        dev.simnet.ns.Namespace owner;

        Recorder(String ns) {
            this.ns = ns;
        }

        @Override
        public int process(Hook hook, PacketBuffer p, int in, int out, long now) {
            byte[] b = p.data();
            int ip = p.networkOffset;
            int proto = b[ip + Frames.IP_PROTO] & 0xff;
            if (proto == 1) {
                seen.add(hook + " in=" + (in == 0 ? "-" : owner.ifname(in)) + " out=" + (out == 0 ? "-" : owner.ifname(out))
                        + " icmp" + (b[ip + Frames.ipHeaderLength(b, ip)] & 0xff));
            }
            if (hook == Hook.PREROUTING && dnatTo != 0) {
                int old = Frames.u32(b, ip + Frames.IP_DST);
                Frames.put32(b, ip + Frames.IP_DST, dnatTo);
                Frames.setIpChecksum(b, ip);
                assertTrue(old != dnatTo);
            }
            return hook == dropAt ? DROP : ACCEPT;
        }
    }

    @Test
    void forwardedPacketMeetsPreroutingForwardPostrouting() {
        RoutingTest.Routed t = new RoutingTest.Routed(1, 1500);
        Recorder rec = new Recorder("r");
        rec.owner = t.r;
        t.r.setPacketFilter(rec);
        TestHost ha = new TestHost(t.a);
        new TestHost(t.b);
        ha.ping(Ipv4Address.parseBits("10.0.2.2"), 1, 1, 8, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(1, ha.replies.size());
        assertEquals(List.of(
                "PREROUTING in=r1 out=- icmp8", "FORWARD in=r1 out=r2 icmp8", "POSTROUTING in=- out=r2 icmp8",
                "PREROUTING in=r2 out=- icmp0", "FORWARD in=r2 out=r1 icmp0", "POSTROUTING in=- out=r1 icmp0"), rec.seen);
    }

    @Test
    void localTrafficMeetsOutputPostroutingThenPreroutingInput() {
        RoutingTest.Routed t = new RoutingTest.Routed(2, 1500);
        Recorder rec = new Recorder("b");
        rec.owner = t.b;
        t.b.setPacketFilter(rec);
        TestHost ha = new TestHost(t.a);
        new TestHost(t.b);
        ha.ping(Ipv4Address.parseBits("10.0.2.2"), 1, 1, 8, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(List.of("PREROUTING in=eth0 out=- icmp8", "INPUT in=eth0 out=- icmp8",
                "OUTPUT in=- out=eth0 icmp0", "POSTROUTING in=- out=eth0 icmp0"), rec.seen);
    }

    @Test
    void dropAtForwardIsCountedAndOutputDropGivesEperm() {
        RoutingTest.Routed t = new RoutingTest.Routed(3, 1500);
        Recorder rec = new Recorder("r");
        rec.owner = t.r;
        rec.dropAt = Hook.FORWARD;
        t.r.setPacketFilter(rec);
        TestHost ha = new TestHost(t.a);
        ha.ping(Ipv4Address.parseBits("10.0.2.2"), 1, 1, 8, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(0, ha.replies.size());
        assertEquals(1, t.r.drops(DropReason.NETFILTER));
        Recorder out = new Recorder("a");
        out.owner = t.a;
        out.dropAt = Hook.OUTPUT;
        t.a.setPacketFilter(out);
        assertEquals(IpOutput.EPERM, ha.ping(Ipv4Address.parseBits("10.0.2.2"), 1, 2, 8, 64, false, t.sim.now()));
        assertEquals(0, t.sim.pool().outstanding());
    }

    @Test
    void dnatInPreroutingIsRoutedByTheNewDestination() {
        RoutingTest.Routed t = new RoutingTest.Routed(4, 1500);
        Recorder rec = new Recorder("r");
        rec.owner = t.r;
        // packets a sends to the router's own r1 address are rewritten to b
        rec.dnatTo = Ipv4Address.parseBits("10.0.2.2");
        t.r.setPacketFilter(new PacketFilter() {
            @Override
            public int process(Hook hook, PacketBuffer p, int in, int out, long now) {
                if (hook == Hook.PREROUTING && in == t.r.device("r1").ifindex()
                        && Frames.u32(p.data(), p.networkOffset + Frames.IP_DST) == Ipv4Address.parseBits("10.0.1.1")) {
                    return rec.process(hook, p, in, out, now);
                }
                return ACCEPT;
            }
        });
        TestHost hb = new TestHost(t.b);
        TestHost ha = new TestHost(t.a);
        ha.ping(Ipv4Address.parseBits("10.0.1.1"), 1, 1, 8, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(1, ha.replies.size());
        assertEquals(Ipv4Address.parseBits("10.0.2.2"), ha.replies.get(0).src(),
                "the echo was routed to b by its rewritten destination; b answers from its own address (no conntrack to undo it)");
        assertEquals(63, ha.replies.get(0).ttl());
        assertEquals(0, hb.replies.size());
    }

    @Test
    void loopbackDeliversTheWhole127Slash8AndOwnAddresses() {
        RoutingTest.Routed t = new RoutingTest.Routed(5, 1500);
        TestHost ha = new TestHost(t.a);
        ha.ping(Ipv4Address.parseBits("127.0.0.1"), 1, 1, 8, 64, false, 0);
        ha.ping(Ipv4Address.parseBits("127.1.2.3"), 1, 2, 8, 64, false, 0);
        ha.ping(Ipv4Address.parseBits("10.0.1.2"), 1, 3, 8, 64, false, 0);
        t.sim.runFor(SEC);
        assertEquals(3, ha.replies.size());
        assertEquals(Ipv4Address.parseBits("127.1.2.3"), ha.replies.get(1).src());
        assertEquals(6, t.a.loopback().counters().txPackets, "requests and replies all went over lo");
        assertEquals(0, t.a.device("eth0").counters().txPackets);
    }
}
