package dev.simnet.sim;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.ns.Namespace;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link TopologyPlan} in a {@link Simulation} the way dockerd does on Linux: a host
 * namespace with {@code ip_forward=1} and one bridge per network ({@code docker0}, {@code br-…})
 * holding the gateway address; per container namespace a veth pair created in the host namespace
 * ({@code vethXXXXXXX} enslaved to the bridge, the peer moved into the container as {@code eth0},
 * {@code eth1}, … keeping its ifindex), the endpoint's MAC and address, a default route via the first
 * non-internal network's gateway, and 3 gratuitous ARPs 1 s apart (Docker 28+). Containers with
 * {@code network_mode: service:X}/{@code container:N} share X's namespace; {@code host} uses the host
 * namespace; {@code none} gets a namespace with only {@code lo}. With {@code userland-proxy=false}
 * every bridge port is in hairpin mode.
 */
public final class PlanBuilder {
    /** The host namespace's name. */
    public static final String HOST = "host";

    private PlanBuilder() {
    }

    /** What was built: the host namespace, bridges by network name, namespaces by container name. */
    public record Built(Namespace host, Map<String, BridgeDevice> bridges, Map<String, Namespace> containers) {
    }

    /** Builds {@code plan} into {@code sim}. */
    public static Built build(Simulation sim, TopologyPlan plan) {
        Namespace host = sim.namespace(HOST);
        host.setIpForward(true);
        Map<String, BridgeDevice> bridges = new LinkedHashMap<>();
        for (NetworkPlan n : plan.networks()) {
            BridgeDevice br = sim.bridge(host, n.bridgeName(), n.bridgeMac() != null ? n.bridgeMac().bits() : sim.randomMac());
            host.addAddress(n.bridgeName(), Ipv4Cidr.of(n.gateway(), n.subnet().prefixLength()));
            sim.setUp(host, n.bridgeName());
            bridges.put(n.name(), br);
        }
        Map<String, Namespace> byNetns = new LinkedHashMap<>();
        Map<String, Namespace> containers = new LinkedHashMap<>();
        for (ContainerPlan c : plan.containers()) {
            String mode = c.networkMode() == null ? "bridge" : c.networkMode();
            if (mode.equals("host")) {
                containers.put(c.name(), host);
                continue;
            }
            Namespace ns = byNetns.get(c.netns());
            if (ns == null) {
                ns = sim.namespace(c.netns());
                byNetns.put(c.netns(), ns);
            }
            containers.put(c.name(), ns);
            if (!c.ownsNamespace()) {
                continue;
            }
            boolean routed = false;
            for (EndpointPlan e : c.endpoints()) {
                NetworkPlan n = plan.network(e.network()).orElseThrow(() ->
                        new IllegalArgumentException("container " + c.name() + " names unknown network " + e.network()));
                BridgeDevice br = bridges.get(n.name());
                sim.vethPair(host, e.hostVeth(), sim.randomMac(), ns, e.ifname(),
                        e.mac() != null ? e.mac().bits() : sim.randomMac(), 1500);
                sim.enslave(br, e.hostVeth());
                if (!plan.userlandProxy()) {
                    br.setHairpin(host.device(e.hostVeth()), true);
                }
                ns.addAddress(e.ifname(), Ipv4Cidr.of(e.address(), e.prefixLength()));
                sim.setUp(host, e.hostVeth());
                sim.setUp(ns, e.ifname());
                if (!routed && !n.internal()) {
                    ns.addDefaultRoute(n.gateway());
                    routed = true;
                }
                ns.announce(e.ifname(), 3, 1_000_000_000L);
            }
        }
        return new Built(host, bridges, containers);
    }

    /** The gateway as an address (convenience for tests). */
    static Ipv4Address gateway(NetworkPlan n) {
        return n.gateway();
    }
}
