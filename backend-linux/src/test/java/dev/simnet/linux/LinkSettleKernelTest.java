package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the build returns, the kernel's link state is already what it will stay: every container's bridge port
 * forwards, every bridge with a port reports {@code state UP} and a bridge without one {@code state DOWN} with
 * {@code NO-CARRIER} (as docker0 of a compose project) — also in a link dump, which (unlike a single-link
 * query) does not run pending linkwatch work first. Repeated over a few builds, since the kernel side of it
 * is timing.
 */
class LinkSettleKernelTest {
    @Test
    void portsForwardAndBridgesAreUpWhenTheBuildReturns() {
        Kernel.assumeAvailable();
        TopologyPlan small = TestPlans.small();
        NetworkPlan empty = SyntheticPlans.network("t", 2, new java.util.SplittableRandom(7));
        List<NetworkPlan> nets = new java.util.ArrayList<>(small.networks());
        nets.add(empty);
        TopologyPlan plan = new TopologyPlan(small.project(), nets, small.containers(), small.userlandProxy(),
                small.hostUpstreams(), small.seed());
        for (int round = 0; round < 3; round++) {
            LinuxTopology topo = LinuxBackend.build(plan, LinuxTopology.Options.linksOnly());
            try {
                String host = topo.hostNamespace();
                String links = Kernel.run("ip", "-n", host, "-o", "link", "show");
                String ports = Kernel.run("bridge", "-n", host, "link", "show");
                for (NetworkPlan n : plan.networks()) {
                    String line = links.lines().filter(l -> l.contains(" " + n.bridgeName() + ": ")).findFirst().orElse("");
                    String want = n == empty ? " state DOWN " : " state UP ";
                    assertTrue(line.contains(want), "round " + round + ", " + n.bridgeName() + " not" + want + ":\n" + links);
                    assertEquals(n == empty, line.contains("NO-CARRIER"), line);
                }
                List<EndpointPlan> eps = plan.containers().stream().filter(c -> c.ownsNamespace())
                        .flatMap(c -> c.endpoints().stream()).toList();
                for (EndpointPlan e : eps) {
                    String line = ports.lines().filter(l -> l.contains(" " + e.hostVeth() + "@")).findFirst().orElse("");
                    assertTrue(line.contains(" state forwarding "), "round " + round + ", " + e.hostVeth() + ":\n" + ports);
                }
                assertEquals(eps.size(), ports.lines().filter(l -> l.contains("state forwarding")).count(), ports);
            } finally {
                topo.close();
            }
        }
    }
}
