package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.capture.MergedPcapWriter;
import dev.simnet.link.Netem;
import dev.simnet.testutil.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
    record Result(byte[] pcap, List<String> trace, long events) {
    }

    static Result run(long seed, Path dir) throws Exception {
        BridgeDatapathTest.Topo t = new BridgeDatapathTest.Topo(seed);
        Path file = dir.resolve("run-" + seed + "-" + System.identityHashCode(t) + ".pcap");
        List<String> trace = new ArrayList<>();
        try (MergedPcapWriter w = new MergedPcapWriter(file)) {
            t.sim.tap(w);
            t.sim.setTrace((now, ns, comp, msg) -> trace.add(now + " " + ns + " " + comp + " " + msg));
            t.sim.setImpairment(t.host, "vethb", Netem.none().withDelay(2_000_000, 1_000_000, Netem.Distribution.NORMAL).withLoss(20));
            TestHost ha = new TestHost(t.a);
            new TestHost(t.b);
            for (int i = 0; i < 40; i++) {
                ha.ping(Ipv4Address.parseBits("172.31.250.3"), 9, i, 56, 64, true, t.sim.now());
                t.sim.runFor(10_000_000L);
            }
            t.sim.runFor(5_000_000_000L);
        }
        return new Result(Files.readAllBytes(file), trace, t.sim.scheduler().dispatchedCount());
    }

    @Test
    void sameSeedGivesTheSameTraceAndByteIdenticalPcap(@TempDir Path dir) throws Exception {
        Result r1 = run(42, dir);
        Result r2 = run(42, dir);
        assertTrue(r1.pcap().length > 1000);
        assertArrayEquals(r1.pcap(), r2.pcap());
        assertEquals(r1.trace(), r2.trace());
        assertEquals(r1.events(), r2.events());
        assertTrue(r1.trace().stream().anyMatch(s -> s.contains(" bridge ") && s.contains("flooded")), "trace explains bridge decisions");
        assertTrue(r1.trace().stream().anyMatch(s -> s.contains(" arp ")), "and ARP");
        assertTrue(r1.trace().stream().anyMatch(s -> s.contains(" drop netem on vethb: lost")), "and netem drops");
    }

    @Test
    void anotherSeedGivesAnotherCapture(@TempDir Path dir) throws Exception {
        Result r1 = run(42, dir);
        Result r3 = run(43, dir);
        assertFalse(Arrays.equals(r1.pcap(), r3.pcap()));
    }
}
