package dev.simnet.dns.topology;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small plans for the adapter tests. */
final class PlanFixtures {
    private PlanFixtures() {
    }

    static NetworkPlan net(String name, String subnet, boolean internal, boolean defaultBridge) {
        Ipv4Cidr c = Ipv4Cidr.parse(subnet);
        return new NetworkPlan(name, name, "f".repeat(64), defaultBridge ? "docker0" : "br-ffffffffffff", c,
                Ipv4Address.of(c.address().bits() + 1), c, MacAddress.of(0x02_00_00_00_00_01L), internal, true, defaultBridge, false);
    }

    static EndpointPlan ep(String net, String ifname, String addr, String... aliases) {
        return new EndpointPlan(net, ifname, Ipv4Address.parse(addr), 16, MacAddress.of(0x02_00_00_00_00_02L), "veth1234567",
                List.of(aliases));
    }

    static ContainerPlan ctr(String name, String service, String id, String hostname, String netns, List<EndpointPlan> eps,
                             List<String> dns, Map<String, String> extraHosts, Map<String, String> links) {
        return new ContainerPlan(name, service, 1, id, hostname, netns, netns.equals(name) ? "bridge" : "service:" + netns,
                eps, List.of(), List.of(), dns, extraHosts, links, "nginx", List.of(), Map.of());
    }

    static TopologyPlan sample() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("host.docker.internal", "172.17.0.1");
        return new TopologyPlan("proj", List.of(
                net("bridge", "172.17.0.0/16", false, true),
                net("proj_default", "172.18.0.0/16", false, false),
                net("proj_back", "172.19.0.0/16", true, false)),
                List.of(
                        ctr("proj-web-1", "web", "a1b2c3d4e5f6" + "0".repeat(52), "a1b2c3d4e5f6", "proj-web-1",
                                List.of(ep("proj_default", "eth0", "172.18.0.2", "www"), ep("proj_back", "eth1", "172.19.0.2")),
                                List.of(), extra, Map.of()),
                        ctr("proj-db-1", "db", "0123456789ab" + "0".repeat(52), "dbhost.example.com", "proj-db-1",
                                List.of(ep("proj_back", "eth0", "172.19.0.3")), List.of("9.9.9.9"), Map.of(), Map.of()),
                        ctr("proj-side-1", "side", "fedcba987654" + "0".repeat(52), "fedcba987654", "proj-web-1",
                                List.of(), List.of(), Map.of(), Map.of()),
                        ctr("legacy", "legacy", "999999999999" + "0".repeat(52), "999999999999", "legacy",
                                List.of(ep("bridge", "eth0", "172.17.0.2")), List.of(), Map.of(), Map.of())),
                true, List.of("10.0.2.3"), 42L);
    }
}
