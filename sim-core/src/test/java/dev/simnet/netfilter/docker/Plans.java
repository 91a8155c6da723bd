package dev.simnet.netfilter.docker;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.List;
import java.util.Map;

/** Small topology plans as moby's iptablesdoc examples use them. */
final class Plans {
    private Plans() {
    }

    static NetworkPlan net(String name, String bridge, String subnet, boolean internal, boolean icc, boolean dflt) {
        Ipv4Cidr c = Ipv4Cidr.parse(subnet);
        return new NetworkPlan(name, name, "0".repeat(64), bridge, c, c.nth(1), c, MacAddress.of(0x020000000001L),
                internal, icc, dflt, false);
    }

    static NetworkPlan docker0() {
        return net("bridge", "docker0", "172.17.0.0/16", false, true, true);
    }

    static ContainerPlan ctr(String name, String network, String addr, List<PortPlan> ports) {
        EndpointPlan ep = new EndpointPlan(network, "eth0", Ipv4Address.parse(addr), 24, MacAddress.of(0x020000000002L), "veth0000000", List.of());
        return new ContainerPlan(name, name, 1, "a".repeat(64), name, name, "bridge", List.of(ep), ports, List.of(), List.of(),
                Map.of(), Map.of(), "busybox", List.of(), Map.of());
    }

    static PortPlan tcp(int host, int ctr) {
        return new PortPlan(Ipv4Address.ANY, host, ctr, "tcp");
    }

    static TopologyPlan plan(boolean proxy, List<NetworkPlan> nets, List<ContainerPlan> ctrs) {
        return new TopologyPlan("p", nets, ctrs, proxy, List.of(), 1);
    }
}
