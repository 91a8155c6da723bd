package dev.simnet.dns.topology;

import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.DnsNetwork;
import dev.simnet.dns.DnsRecords;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapter from the control plane's {@link TopologyPlan} to the embedded DNS model: every network
 * with embedded DNS (all but the default bridge), every container that owns a namespace with its
 * endpoints, names, link aliases and {@code dns:} servers.
 */
public final class PlanRecords {
    private PlanRecords() {
    }

    /** The DNS networks of the plan (the default bridge excluded). */
    public static List<DnsNetwork> networks(TopologyPlan plan) {
        List<DnsNetwork> out = new ArrayList<>();
        for (NetworkPlan n : plan.networks()) {
            if (n.embeddedDns()) {
                out.add(new DnsNetwork(n.name(), n.internal()));
            }
        }
        return out;
    }

    /** The DNS view of one container. */
    public static DnsContainer container(ContainerPlan c) {
        List<DnsEndpoint> eps = new ArrayList<>();
        for (EndpointPlan ep : c.endpoints()) {
            eps.add(new DnsEndpoint(ep.network(), ep.address(), ep.aliases()));
        }
        return new DnsContainer(c.name(), c.shortId(), c.hostname(), c.service(), eps, c.links(), c.dns());
    }

    /** Every container of the plan, in start order. */
    public static List<DnsContainer> containers(TopologyPlan plan) {
        List<DnsContainer> out = new ArrayList<>();
        for (ContainerPlan c : plan.containers()) {
            out.add(container(c));
        }
        return out;
    }

    /** A live record set holding the whole plan (as if every container had started). */
    public static DnsRecords build(TopologyPlan plan) {
        DnsRecords r = new DnsRecords(plan.hostUpstreams());
        r.replaceAll(networks(plan), containers(plan), plan.hostUpstreams());
        return r;
    }

    /** {@code docker start}: the container's names appear (atomically). */
    public static void start(DnsRecords records, ContainerPlan c) {
        records.start(container(c));
    }

    /** {@code docker stop}: the container's names disappear (atomically). */
    public static void stop(DnsRecords records, ContainerPlan c) {
        records.stop(c.name());
    }

    /** {@code docker network connect}: one more endpoint for a running container. */
    public static void connect(DnsRecords records, ContainerPlan c, EndpointPlan ep) {
        records.connect(c.name(), new DnsEndpoint(ep.network(), ep.address(), ep.aliases()));
    }

    /**
     * The container whose embedded DNS serves {@code c}: containers sharing another's namespace
     * ({@code network_mode: service:X}) ask as the namespace owner.
     */
    public static String askerFor(ContainerPlan c) {
        return c.netns();
    }
}
