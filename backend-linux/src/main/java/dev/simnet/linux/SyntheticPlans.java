package dev.simnet.linux;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Docker-shaped plans without a compose file, for tests and benchmarks: user networks
 * {@code 172.18.0.0/16, 172.19.0.0/16, …} with {@code br-} bridges, containers spread round-robin
 * over them, random locally-administered MACs and {@code veth}+7-hex host ends, all drawn from a seed.
 */
public final class SyntheticPlans {
    private SyntheticPlans() {
    }

    /** A user network {@code proj_netK} on {@code 172.(18+k).0.0/16}. */
    public static NetworkPlan network(String project, int k, SplittableRandom rnd) {
        String id = hex(rnd, 64);
        Ipv4Cidr subnet = Ipv4Cidr.of(Ipv4Address.of(172, 18 + k, 0, 0), 16);
        return new NetworkPlan(project + "_net" + k, "net" + k, id, "br-" + id.substring(0, 12), subnet,
                subnet.nth(1), subnet, mac(rnd), false, true, false, false);
    }

    /** A container {@code proj-svc-N} owning its namespace, attached to {@code nets} in order. */
    public static ContainerPlan container(String project, String service, int replica, List<NetworkPlan> nets,
                                          List<Ipv4Address> addresses, SplittableRandom rnd) {
        String id = hex(rnd, 64);
        String name = project + "-" + service + "-" + replica;
        List<EndpointPlan> eps = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            NetworkPlan n = nets.get(i);
            eps.add(new EndpointPlan(n.name(), "eth" + i, addresses.get(i), n.subnet().prefixLength(), mac(rnd),
                    "veth" + hex(rnd, 7), List.of()));
        }
        return new ContainerPlan(name, service, replica, id, id.substring(0, 12), name, "bridge", eps, List.of(),
                List.of(), List.of(), Map.of(), Map.of(), "alpine", List.of(), Map.of());
    }

    /** A container that joins {@code owner}'s namespace ({@code network_mode: service:X}). */
    public static ContainerPlan sharing(String project, String service, ContainerPlan owner, SplittableRandom rnd) {
        String id = hex(rnd, 64);
        return new ContainerPlan(project + "-" + service + "-1", service, 1, id, owner.hostname(), owner.name(),
                "service:" + owner.service(), List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(),
                "alpine", List.of(), Map.of());
    }

    /** {@code containers} single-homed containers spread round-robin over {@code networks} user networks. */
    public static TopologyPlan spread(int containers, int networks, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String project = "bench";
        List<NetworkPlan> nets = new ArrayList<>();
        for (int k = 0; k < networks; k++) {
            nets.add(network(project, k, rnd));
        }
        int[] next = new int[networks];
        List<ContainerPlan> cs = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            int k = i % networks;
            NetworkPlan n = nets.get(k);
            Ipv4Address a = n.subnet().nth(2 + next[k]++);
            cs.add(container(project, "svc", i + 1, List.of(n), List.of(a), rnd));
        }
        return new TopologyPlan(project, nets, cs, true, List.of(), seed);
    }

    /** A random locally-administered unicast MAC (Docker 28+). */
    public static MacAddress mac(SplittableRandom rnd) {
        long bits = rnd.nextLong() & 0xffff_ffff_ffffL;
        bits = (bits & ~(0x01L << 40)) | (0x02L << 40);
        return MacAddress.of(bits);
    }

    private static String hex(SplittableRandom rnd, int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            sb.append(String.format(Locale.ROOT, "%016x", rnd.nextLong()));
        }
        return sb.substring(0, n);
    }
}
