package dev.simnet.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanQueriesTest {
    static NetworkPlan net(String name, String subnet, boolean internal) {
        Ipv4Cidr s = Ipv4Cidr.parse(subnet);
        return new NetworkPlan(name, name, "0".repeat(64), "br-x", s, s.nth(1), s, MacAddress.of(2), internal, true, false, false);
    }

    static EndpointPlan ep(String net, String ifname, String ip) {
        return new EndpointPlan(net, ifname, Ipv4Address.parse(ip), 16, MacAddress.of(0x02_0000_0001L), "veth1234567", List.of());
    }

    static ContainerPlan ctr(String name, String netns, String mode, List<EndpointPlan> eps) {
        return new ContainerPlan(name, name, 1, "a".repeat(64), "aaaaaaaaaaaa", netns, mode, eps, List.of(), List.of(),
                List.of(), Map.of(), Map.of(), "nginx", List.of(), Map.of());
    }

    @Test
    void gatewaySkipsInternalNetworksAndFollowsSharedNamespaces() {
        ContainerPlan proxy = ctr("proxy", "proxy", "bridge", List.of(ep("p_private", "eth0", "172.18.0.3"),
                ep("p_public", "eth1", "172.19.0.2")));
        ContainerPlan app = ctr("app", "app", "bridge", List.of(ep("p_private", "eth0", "172.18.0.2")));
        ContainerPlan side = ctr("side", "proxy", "service:proxy", List.of());
        ContainerPlan host = ctr("h", "host", "host", List.of());
        TopologyPlan plan = new TopologyPlan("p", List.of(net("p_private", "172.18.0.0/16", true),
                net("p_public", "172.19.0.0/16", false)), List.of(proxy, app, side, host), true, List.of(), 1);
        assertEquals("eth1", PlanQueries.gatewayEndpoint(plan, proxy).orElseThrow().ifname());
        assertEquals("eth1", PlanQueries.gatewayEndpoint(plan, side).orElseThrow().ifname());
        assertTrue(PlanQueries.gatewayEndpoint(plan, app).isEmpty(), "only internal networks: no default route");
        assertTrue(PlanQueries.gatewayEndpoint(plan, host).isEmpty());
        assertEquals(List.of(proxy, side), PlanQueries.namespaceMembers(plan, "proxy"));
        assertEquals(proxy, PlanQueries.namespaceOwner(plan, side).orElseThrow());
    }

    @Test
    void withContainerReplacesInPlaceOrAppends() {
        ContainerPlan a = ctr("a", "a", "bridge", List.of(ep("n", "eth0", "172.18.0.2")));
        ContainerPlan b = ctr("b", "b", "bridge", List.of(ep("n", "eth0", "172.18.0.3")));
        TopologyPlan plan = new TopologyPlan("p", List.of(net("n", "172.18.0.0/16", false)), List.of(a, b), true, List.of("9.9.9.9"), 7);
        ContainerPlan stopped = a.withEndpoints(List.of());
        TopologyPlan s = plan.withContainer(stopped);
        assertEquals(List.of(stopped, b), s.containers(), "replaced at its position");
        ContainerPlan c = ctr("c", "c", "bridge", List.of());
        assertEquals(List.of(a, b, c), plan.withContainer(c).containers(), "a new name is appended");
        assertEquals(List.of(a, b), plan.containers(), "the original plan is unchanged");
        assertEquals(plan.networks(), s.networks());
        assertEquals(List.of("9.9.9.9"), s.hostUpstreams());
        assertEquals(7, s.seed());
        assertTrue(s.userlandProxy());
    }
}
