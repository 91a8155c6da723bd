package dev.simnet.bench.echo;

import dev.simnet.bench.BenchBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Whole simulation: one virtual millisecond of the ns-3 anchor workload ({@link BridgeEchoWorkload})
 * in steady state — every host sends one 64-byte UDP echo request and gets its reply, so one op is
 * {@code hosts} echoes, 4 × {@code hosts} frames, through sockets, IP, ARP cache, veth, netem rate
 * and the learning bridge. Divide the score by 4 × hosts for the cost of one frame.
 */
public class EchoBench extends BenchBase {
    @Param({"20"})
    public int hosts;

    private BridgeEchoWorkload w;

    @Setup
    public void setup() {
        w = new BridgeEchoWorkload(hosts, 1e6, 1000, 64, 1);
        w.runFor(200_000_000L); // past start-up (ARP) into steady state
        if (w.replies() == 0) {
            throw new IllegalStateException("bench setup: no echo replies");
        }
    }

    @Benchmark
    public long oneMillisecond() {
        w.runFor(1_000_000L);
        return w.replies();
    }
}
