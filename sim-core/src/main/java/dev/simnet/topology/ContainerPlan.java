package dev.simnet.topology;

import java.util.List;
import java.util.Map;

/**
 * One container as Docker would run it.
 *
 * @param name        container name ({@code proj-web-1} or {@code container_name})
 * @param service     compose service name
 * @param replica     1-based replica number
 * @param id          64-hex container id (seeded); the short id is its first 12 characters
 * @param hostname    the container's hostname (short id unless set)
 * @param netns       key of the network namespace it runs in: its own name, or the name of the
 *                    container whose namespace it shares ({@code network_mode: service:X}),
 *                    {@code "host"} for host networking, its own name with no endpoints for {@code none}
 * @param networkMode {@code bridge}, {@code service:X}, {@code container:N}, {@code host} or {@code none}
 * @param endpoints   attachments, in attach order (empty when sharing another namespace or for none/host)
 * @param ports       published ports (only on the namespace owner)
 * @param exposedPorts container ports declared by {@code expose} or the image
 * @param dns         upstream servers set by {@code dns:} (empty for the daemon's defaults)
 * @param extraHosts  {@code extra_hosts} entries, name to address text
 * @param links       link aliases visible only to this container: alias to target container name
 * @param image       image reference
 * @param command     the command, or empty
 * @param extensions  simnet-specific per-service settings ({@code x-simnet} keys), as parsed text
 * @param portsSeq    when the daemon last programmed this container's published ports, relative to the
 *                    others': 0 for every container of {@code compose up} (then the plan's order is the
 *                    order), and for a later {@code docker start} (or a connect/disconnect that moved its
 *                    ports to another endpoint) a number above every earlier one. Docker appends a
 *                    started container's DNAT, raw and hairpin rules after the others' and inserts its
 *                    filter ACCEPTs at the top, so the rule order follows this, not the plan's order.
 */
public record ContainerPlan(String name, String service, int replica, String id, String hostname, String netns,
                            String networkMode, List<EndpointPlan> endpoints, List<PortPlan> ports,
                            List<Integer> exposedPorts, List<String> dns, Map<String, String> extraHosts,
                            Map<String, String> links, String image, List<String> command,
                            Map<String, Object> extensions, long portsSeq) {

    /** A container programmed at {@code compose up} ({@code portsSeq} 0). */
    public ContainerPlan(String name, String service, int replica, String id, String hostname, String netns,
                         String networkMode, List<EndpointPlan> endpoints, List<PortPlan> ports,
                         List<Integer> exposedPorts, List<String> dns, Map<String, String> extraHosts,
                         Map<String, String> links, String image, List<String> command,
                         Map<String, Object> extensions) {
        this(name, service, replica, id, hostname, netns, networkMode, endpoints, ports, exposedPorts, dns, extraHosts,
                links, image, command, extensions, 0);
    }

    /** This container with {@code eps} as its endpoints (a stopped container has none), everything else kept. */
    public ContainerPlan withEndpoints(List<EndpointPlan> eps) {
        return new ContainerPlan(name, service, replica, id, hostname, netns, networkMode, eps, ports, exposedPorts, dns,
                extraHosts, links, image, command, extensions, portsSeq);
    }

    /** This container with its published ports programmed at {@code seq} (see {@link #portsSeq()}). */
    public ContainerPlan withPortsSeq(long seq) {
        return new ContainerPlan(name, service, replica, id, hostname, netns, networkMode, endpoints, ports, exposedPorts,
                dns, extraHosts, links, image, command, extensions, seq);
    }

    /** The 12-hex short id Docker shows and answers DNS for. */
    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }

    /** True when this container owns its network namespace (rather than joining another's). */
    public boolean ownsNamespace() {
        return netns.equals(name);
    }
}
