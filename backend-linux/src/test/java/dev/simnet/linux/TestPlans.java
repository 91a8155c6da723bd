package dev.simnet.linux;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The small plan the kernel tests build: networks {@code front} (172.18.0.0/16) and {@code back}
 * (172.19.0.0/16); {@code web-1} on front, {@code web-2} on front and back, {@code db-1} on back,
 * and {@code side-1} sharing web-1's namespace; web-2 publishes 8080 to its port 80.
 */
final class TestPlans {
    private TestPlans() {
    }

    static TopologyPlan small() {
        SplittableRandom rnd = new SplittableRandom(42);
        NetworkPlan front = SyntheticPlans.network("t", 0, rnd);
        NetworkPlan back = SyntheticPlans.network("t", 1, rnd);
        ContainerPlan web1 = SyntheticPlans.container("t", "web", 1, List.of(front), List.of(ip("172.18.0.2")), rnd);
        ContainerPlan web2 = withPorts(SyntheticPlans.container("t", "web", 2, List.of(front, back),
                List.of(ip("172.18.0.3"), ip("172.19.0.2")), rnd), List.of(new PortPlan(Ipv4Address.ANY, 8080, 80, "tcp")));
        ContainerPlan db1 = SyntheticPlans.container("t", "db", 1, List.of(back), List.of(ip("172.19.0.3")), rnd);
        ContainerPlan side = SyntheticPlans.sharing("t", "side", web1, rnd);
        return new TopologyPlan("t", List.of(front, back), List.of(web1, web2, db1, side), true, List.of(), 42);
    }

    static ContainerPlan withPorts(ContainerPlan c, List<PortPlan> ports) {
        return new ContainerPlan(c.name(), c.service(), c.replica(), c.id(), c.hostname(), c.netns(), c.networkMode(),
                c.endpoints(), ports, c.exposedPorts(), c.dns(), c.extraHosts(), c.links(), c.image(), c.command(),
                c.extensions());
    }

    static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }
}
