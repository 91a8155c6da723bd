package dev.simnet.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Questions every backend asks of a {@link TopologyPlan} the same way, so they answer alike:
 * which container owns a namespace, which endpoint gives a container its default route, which
 * containers share a namespace.
 */
public final class PlanQueries {
    private PlanQueries() {
    }

    /**
     * The container whose network namespace {@code c} runs in: itself, or the one it joined with
     * {@code network_mode: service:X} / {@code container:N}. Empty for {@code host} networking.
     */
    public static Optional<ContainerPlan> namespaceOwner(TopologyPlan plan, ContainerPlan c) {
        if (c.netns().equals("host")) {
            return Optional.empty();
        }
        if (c.ownsNamespace()) {
            return Optional.of(c);
        }
        return plan.container(c.netns());
    }

    /**
     * The endpoint that carries the default route of {@code c}'s namespace, as libnetwork chooses
     * it: the first endpoint (the control plane lists them in attach order: priority, then name)
     * on a network that is not {@code internal}. Empty when every network is internal (the
     * namespace then has no default route), for {@code none} and for {@code host}.
     */
    public static Optional<EndpointPlan> gatewayEndpoint(TopologyPlan plan, ContainerPlan c) {
        Optional<ContainerPlan> owner = namespaceOwner(plan, c);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        for (EndpointPlan e : owner.get().endpoints()) {
            Optional<NetworkPlan> n = plan.network(e.network());
            if (n.isPresent() && !n.get().internal()) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Containers running in the namespace called {@code netns}, the owner first. */
    public static List<ContainerPlan> namespaceMembers(TopologyPlan plan, String netns) {
        List<ContainerPlan> out = new ArrayList<>();
        for (ContainerPlan c : plan.containers()) {
            if (c.netns().equals(netns)) {
                if (c.ownsNamespace()) {
                    out.add(0, c);
                } else {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
