package dev.simnet.neigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.capture.FrameTap.Direction;
import dev.simnet.ns.Namespace;
import dev.simnet.sim.Simulation;
import dev.simnet.testutil.Capture;
import dev.simnet.testutil.TestHost;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighStateMachineTest {
    static final long SEC = 1_000_000_000L;

    static int ip(String s) {
        return Ipv4Address.parseBits(s);
    }

    Simulation sim;
    Namespace a;
    Namespace b;
    Capture cap = new Capture();

    void build(long seed) {
        sim = new Simulation(seed);
        sim.tap(cap);
        a = sim.namespace("a");
        b = sim.namespace("b");
        sim.vethPair(a, "eth0", b, "eth0");
        sim.addAddress(a, "eth0", "10.9.0.1/24");
        sim.addAddress(b, "eth0", "10.9.0.2/24");
        sim.setUp(a, "eth0");
        sim.setUp(b, "eth0");
    }

    NeighState state(Namespace ns, String peer) {
        NeighTable.Entry e = ns.neighTable("eth0").lookup(ip(peer));
        return e == null ? NeighState.NONE : e.state();
    }

    @Test
    void reachableThenStaleAfterTheRandomisedReachableTime() {
        build(11);
        TestHost ha = new TestHost(a);
        ha.ping(ip("10.9.0.2"), 1, 1, 8, 64, false, 0);
        sim.runFor(1000);
        assertEquals(NeighState.REACHABLE, state(a, "10.9.0.2"));
        assertEquals(NeighState.DELAY, state(b, "10.9.0.1"), "the request created a STALE entry on the answering side, and sending the reply moved it to DELAY");
        long rt = a.neighTable("eth0").reachableNs();
        assertTrue(rt >= 15 * SEC && rt < 45 * SEC, "reachable time drawn in [15 s, 45 s): " + rt);
        long confirmed = a.neighTable("eth0").lookup(ip("10.9.0.2")).confirmed();
        sim.scheduler().runUntil(confirmed + rt - 1);
        assertEquals(NeighState.REACHABLE, state(a, "10.9.0.2"));
        sim.scheduler().runUntil(confirmed + rt);
        assertEquals(NeighState.REACHABLE, state(a, "10.9.0.2"), "time_before_eq: still reachable at exactly confirmed + reachable_time");
        sim.scheduler().runUntil(confirmed + rt + 10_000_000L);
        assertEquals(NeighState.STALE, state(a, "10.9.0.2"), "unused: REACHABLE -> STALE at confirmed + reachable_time");
        // a different seed draws a different reachable time
        build(12);
        assertTrue(a.neighTable("eth0").reachableNs() != rt);
    }

    @Test
    void staleUseGoesDelayThenProbeThenReachableWhenThePeerAnswers() {
        build(13);
        TestHost ha = new TestHost(a);
        ha.ping(ip("10.9.0.2"), 1, 1, 8, 64, false, 0);
        sim.runFor(60 * SEC);
        assertEquals(NeighState.STALE, state(a, "10.9.0.2"));
        long t0 = sim.now();
        int arpsBefore = arpRequests();
        ha.ping(ip("10.9.0.2"), 1, 2, 8, 64, false, t0);
        sim.runFor(1000);
        assertEquals(NeighState.DELAY, state(a, "10.9.0.2"));
        assertEquals(2, ha.replies.size(), "the packet went out at once with the stale address");
        sim.scheduler().runUntil(t0 + 5 * SEC - 1);
        assertEquals(NeighState.DELAY, state(a, "10.9.0.2"));
        sim.scheduler().runUntil(t0 + 5 * SEC);
        // PROBE sends a unicast request at once; b answers and the entry is REACHABLE again
        assertEquals(arpsBefore + 1, arpRequests());
        Capture.Frame probe = cap.on("a", "eth0", Direction.OUT).stream().filter(f -> f.isArp() && f.arpOp() == 1)
                .reduce((x, y) -> y).get();
        assertEquals(b.device("eth0").mac(), dev.simnet.addr.MacAddress.readBits(probe.bytes(), 0), "unicast probe");
        sim.runFor(1000);
        assertEquals(NeighState.REACHABLE, state(a, "10.9.0.2"));
    }

    @Test
    void probeWithoutAnswerFailsAfterThreeUnicastRequests() {
        build(14);
        TestHost ha = new TestHost(a);
        ha.ping(ip("10.9.0.2"), 1, 1, 8, 64, false, 0);
        sim.runFor(60 * SEC);
        // b stops answering for the address (its link stays up: with the peer down, a's frames would die in
        // the noop qdisc of a carrier-less veth, before any capture)
        b.removeAddress("eth0", dev.simnet.addr.Ipv4Cidr.parse("10.9.0.2/24"));
        long t0 = sim.now();
        int before = arpRequests();
        ha.ping(ip("10.9.0.2"), 1, 2, 8, 64, false, t0);
        sim.scheduler().runUntil(t0 + 5 * SEC);
        assertEquals(NeighState.PROBE, state(a, "10.9.0.2"));
        sim.scheduler().runUntil(t0 + 7 * SEC);
        assertEquals(NeighState.PROBE, state(a, "10.9.0.2"));
        sim.scheduler().runUntil(t0 + 8 * SEC);
        assertEquals(NeighState.FAILED, state(a, "10.9.0.2"));
        assertEquals(before + 3, arpRequests(), "3 unicast probes at +5, +6, +7 s");
    }

    @Test
    void resolutionFailureGivesHostUnreachableAfterThreeBroadcasts() {
        build(15);
        TestHost ha = new TestHost(a);
        ha.ping(ip("10.9.0.77"), 1, 1, 8, 64, false, 0);
        ha.ping(ip("10.9.0.77"), 1, 2, 8, 64, false, 0);
        sim.scheduler().runUntil(3 * SEC - 1);
        assertEquals(NeighState.INCOMPLETE, state(a, "10.9.0.77"));
        assertEquals(0, ha.errors.size());
        List<Capture.Frame> reqs = cap.on("a", "eth0", Direction.OUT).stream().filter(Capture.Frame::isArp).toList();
        assertEquals(3, reqs.size());
        assertEquals(List.of(0L, SEC, 2 * SEC), reqs.stream().map(Capture.Frame::time).toList());
        sim.scheduler().runUntil(3 * SEC);
        assertEquals(NeighState.FAILED, state(a, "10.9.0.77"));
        sim.runFor(1000);
        assertEquals(2, ha.errors.size(), "one host unreachable per queued packet");
        assertEquals(3, ha.errors.get(0).type());
        assertEquals(1, ha.errors.get(0).code());
        assertEquals(ip("10.9.0.1"), ha.errors.get(0).src(), "from our own address, as ping shows");
        String neigh = dev.simnet.ns.render.IpRender.ipNeigh(a);
        assertTrue(neigh.contains("10.9.0.77 dev eth0 FAILED \n"), neigh);
        assertEquals(0, sim.pool().outstanding());
    }

    int arpRequests() {
        return (int) cap.on("a", "eth0", Direction.OUT).stream().filter(f -> f.isArp() && f.arpOp() == 1).count();
    }
}
