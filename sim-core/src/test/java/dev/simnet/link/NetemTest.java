package dev.simnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.capture.FrameTap.Direction;
import dev.simnet.ns.Namespace;
import dev.simnet.sim.Simulation;
import dev.simnet.testutil.Capture;
import dev.simnet.testutil.TestHost;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NetemTest {
    static final long MS = 1_000_000L;

    record Run(List<Integer> delivered, List<Long> arrivals, Capture cap, NetemQdisc q) {
    }

    static Run run(long seed, Netem netem, int count, int payload, long gapNs) {
        Simulation sim = new Simulation(seed);
        Capture cap = new Capture();
        sim.tap(cap);
        Namespace a = sim.namespace("a");
        Namespace b = sim.namespace("b");
        sim.vethPair(a, "eth0", b, "eth0");
        sim.addAddress(a, "eth0", "10.9.0.1/24");
        sim.addAddress(b, "eth0", "10.9.0.2/24");
        sim.setUp(a, "eth0");
        sim.setUp(b, "eth0");
        a.neighTable("eth0").addPermanent(Ipv4Address.parseBits("10.9.0.2"), b.device("eth0").mac(), 0);
        b.neighTable("eth0").addPermanent(Ipv4Address.parseBits("10.9.0.1"), a.device("eth0").mac(), 0);
        NetemQdisc q = sim.setImpairment(a, "eth0", netem);
        TestHost ha = new TestHost(a);
        for (int i = 0; i < count; i++) {
            ha.ping(Ipv4Address.parseBits("10.9.0.2"), 1, i, payload, 64, false, sim.now());
            sim.runFor(gapNs);
        }
        sim.runFor(10_000 * MS);
        List<Capture.Frame> in = cap.on("b", "eth0", Direction.IN).stream().filter(f -> f.isIcmp(8)).toList();
        List<Integer> seqs = in.stream().map(f -> ((f.bytes()[40] & 0xff) << 8) | (f.bytes()[41] & 0xff)).collect(Collectors.toList());
        return new Run(seqs, in.stream().map(Capture.Frame::time).collect(Collectors.toList()), cap, q);
    }

    @Test
    void lossPatternIsReproducibleWithTheSameSeedAndDiffersWithAnother() {
        Netem lossy = Netem.none().withLoss(30);
        Run r1 = run(100, lossy, 200, 8, MS);
        Run r2 = run(100, lossy, 200, 8, MS);
        Run r3 = run(101, lossy, 200, 8, MS);
        assertEquals(r1.delivered(), r2.delivered());
        assertNotEquals(r1.delivered(), r3.delivered());
        int lost = 200 - r1.delivered().size();
        assertTrue(lost > 35 && lost < 85, "about 30% lost: " + lost);
        assertEquals(lost, r1.q().lossDrops);
    }

    @Test
    void gilbertElliottLossComesInBursts() {
        Run r = run(7, Netem.none().withGilbertElliott(5, 20, 100, 0), 1000, 8, MS);
        List<Integer> d = r.delivered();
        int lost = 1000 - d.size();
        int bursts = 0;
        for (int i = 0, prev = -1; i < d.size(); i++) {
            if (d.get(i) != prev + 1) {
                bursts++;
            }
            prev = d.get(i);
        }
        assertTrue(lost > 0 && bursts < lost, "losses cluster into fewer bursts than losses: " + lost + " in " + bursts);
    }

    @Test
    void delayWithJitterStaysInRangeAndUniformJitterCanReorder() {
        Run r = run(3, Netem.none().withDelay(20 * MS, 5 * MS, Netem.Distribution.UNIFORM), 100, 8, MS / 2);
        for (int i = 0; i < r.arrivals().size(); i++) {
            long sentAt = (long) r.delivered().get(i) * (MS / 2);
            long d = r.arrivals().get(i) - sentAt;
            assertTrue(d >= 15 * MS && d <= 25 * MS, "delay " + d);
        }
        assertEquals(100, r.delivered().size());
        assertNotEquals(r.delivered().stream().sorted().toList(), r.delivered(), "jitter larger than the gap reorders, as netem's tfifo does");
    }

    @Test
    void rateLimitSpacesFramesBySerializationTime() {
        // 10 Mbit/s: a 1250-byte frame takes 1 ms on the wire
        int payload = 1250 - 14 - 20 - 8;
        Run r = run(5, Netem.none().withRate(10_000_000), 10, payload, 0);
        assertEquals(10, r.arrivals().size());
        for (int i = 0; i < 10; i++) {
            assertEquals((i + 1) * MS, r.arrivals().get(i), "frame " + i);
        }
    }

    @Test
    void queueLimitTailDropsAndCounts() {
        int payload = 1250 - 14 - 20 - 8;
        Run r = run(5, Netem.none().withRate(10_000_000).withLimit(4), 10, payload, 0);
        assertEquals(4, r.arrivals().size());
        assertEquals(6, r.q().overlimitDrops);
    }

    @Test
    void duplicateAndCorruptAreApplied() {
        Run dup = run(9, Netem.none().withDuplicate(100), 10, 8, MS);
        assertEquals(20, dup.delivered().size());
        Run bad = run(9, Netem.none().withCorrupt(100), 10, 8, MS);
        assertEquals(10, bad.q().corrupted);
    }
}
