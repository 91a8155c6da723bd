package dev.simnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With {@code userland-proxy=false} Docker loads br_netfilter: bridged container-to-container traffic
 * crosses the simulated host's netfilter (conntrack sees it), so TSO super-frames are completed in
 * software before the bridge instead of being switched whole.
 */
class TapNoUserlandProxyTest {

    @Test
    void bridgedBulkTcpIsTrackedAndSegmentedWhenBrNetfilterIsOn() throws Exception {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        SplittableRandom rnd = new SplittableRandom(5);
        NetworkPlan n = SyntheticPlans.network("np", 0, rnd);
        ContainerPlan a = SyntheticPlans.container("np", "a", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.2")), rnd);
        ContainerPlan b = SyntheticPlans.container("np", "b", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.3")), rnd);
        TopologyPlan plan = new TopologyPlan("np", List.of(n), List.of(a, b), false, List.of(), 5);
        try (TapNetwork net = TapBackend.build(plan, TapNetwork.Options.defaults().withServices(false))) {
            Process server = net.spawn("np-b-1", List.of("iperf3", "-s", "-1", "-p", "5201"));
            try {
                for (int i = 0; i < 100; i++) {
                    if (!net.exec("np-b-1", Duration.ofSeconds(5), "ss", "-ltnH", "sport = :5201").stdout().isBlank()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                String vethA = a.endpoints().get(0).hostVeth();
                CommandResult r = net.exec("np-a-1", Duration.ofSeconds(30), "iperf3", "-c", "172.18.0.3", "-p", "5201", "-n", "5M");
                assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
                long[] c = net.onLoop(s -> net.port(vethA).offloadCounters());
                assertEquals(0, c[0], "super-frames switched whole although br_netfilter must see them");
                assertTrue(c[1] > 0, "no super-frame completed in software");
                assertEquals(0, c[2], "offloaded frames dropped");
                String ct = net.conntrackList();
                assertTrue(ct.lines().anyMatch(l -> l.startsWith("tcp") && l.contains("src=172.18.0.2 dst=172.18.0.3")
                        && l.contains("dport=5201")), "bridged flow not tracked:\n" + ct);
            } finally {
                server.destroyForcibly();
            }
        }
    }
}
