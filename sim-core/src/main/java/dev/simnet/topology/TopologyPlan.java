package dev.simnet.topology;

import java.util.List;
import java.util.Optional;

/**
 * Everything the Docker daemon would build for one compose project, as data.
 *
 * @param project       the compose project name
 * @param networks      networks, the default bridge {@code bridge} (docker0) first
 * @param containers    containers in start order (dependencies first)
 * @param userlandProxy true when the daemon runs docker-proxy (default), false for {@code userland-proxy=false}
 * @param hostUpstreams the host's DNS servers that the embedded DNS forwards to
 * @param seed          the seed everything random was drawn from
 */
public record TopologyPlan(String project, List<NetworkPlan> networks, List<ContainerPlan> containers,
                           boolean userlandProxy, List<String> hostUpstreams, long seed) {

    /** The network called {@code name}. */
    public Optional<NetworkPlan> network(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The container called {@code name}. */
    public Optional<ContainerPlan> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * This plan with {@code c} in place of the container of the same name (kept at its position), or
     * appended when there is none: what a start, stop, connect or disconnect does to the plan.
     */
    public TopologyPlan withContainer(ContainerPlan c) {
        java.util.List<ContainerPlan> cs = new java.util.ArrayList<>(containers.size() + 1);
        boolean found = false;
        for (ContainerPlan x : containers) {
            if (x.name().equals(c.name())) {
                cs.add(c);
                found = true;
            } else {
                cs.add(x);
            }
        }
        if (!found) {
            cs.add(c);
        }
        return new TopologyPlan(project, networks, cs, userlandProxy, hostUpstreams, seed);
    }
}
