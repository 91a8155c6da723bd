package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.ns.render.IpRender;
import dev.simnet.testutil.TestHost;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanBuilderTest {
    static ContainerPlan ctr(String name, String netns, String mode, List<EndpointPlan> eps) {
        return new ContainerPlan(name, name.split("-")[1], 1, "0123456789ab" + "0".repeat(52), name, netns, mode, eps,
                List.of(), List.of(), List.of(), Map.of(), Map.of(), "nginx", List.of(), Map.of());
    }

    @Test
    void dockerLikeTopologyPingsAcrossTheBridgeAndOutThroughTheGateway() {
        NetworkPlan net = new NetworkPlan("proj_default", "default", "f".repeat(64), "br-ffffffffffff",
                Ipv4Cidr.parse("172.18.0.0/16"), Ipv4Address.parse("172.18.0.1"), Ipv4Cidr.parse("172.18.0.0/16"),
                MacAddress.parse("02:42:11:22:33:44"), false, true, false, false);
        EndpointPlan e1 = new EndpointPlan("proj_default", "eth0", Ipv4Address.parse("172.18.0.2"), 16,
                MacAddress.parse("02:42:ac:12:00:02"), "veth1111111", List.of());
        EndpointPlan e2 = new EndpointPlan("proj_default", "eth0", Ipv4Address.parse("172.18.0.3"), 16,
                MacAddress.parse("02:42:ac:12:00:03"), "veth2222222", List.of());
        TopologyPlan plan = new TopologyPlan("proj", List.of(net), List.of(
                ctr("proj-web-1", "proj-web-1", "bridge", List.of(e1)),
                ctr("proj-db-1", "proj-db-1", "bridge", List.of(e2)),
                ctr("proj-side-1", "proj-web-1", "service:web", List.of())), true, List.of(), 1);
        Simulation sim = new Simulation(5);
        PlanBuilder.Built b = PlanBuilder.build(sim, plan);
        assertSame(b.containers().get("proj-web-1"), b.containers().get("proj-side-1"), "service:X shares X's namespace");
        String addr = IpRender.ipAddr(b.containers().get("proj-web-1"));
        assertTrue(addr.contains("eth0@if"), addr);
        assertTrue(addr.contains("inet 172.18.0.2/16 brd 172.18.255.255 scope global eth0"), addr);
        assertEquals("default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2 \n",
                IpRender.ipRoute(b.containers().get("proj-web-1")));
        TestHost web = new TestHost(b.containers().get("proj-web-1"));
        new TestHost(b.containers().get("proj-db-1"));
        sim.runFor(4_000_000_000L); // the gratuitous ARPs
        web.ping(Ipv4Address.parseBits("172.18.0.3"), 1, 1, 56, 64, true, sim.now());
        web.ping(Ipv4Address.parseBits("172.18.0.1"), 1, 2, 56, 64, true, sim.now());
        sim.runFor(1_000_000_000L);
        assertEquals(2, web.replies.size());
    }
}
