package dev.simnet.linux;

import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.List;

/**
 * The {@code /etc/resolv.conf} and {@code /etc/hosts} Docker writes for a container: the embedded
 * resolver (127.0.0.11, {@code options ndots:0}) when it is on a user-defined network, otherwise
 * the container's {@code dns:} servers or the host's upstreams; hosts with Docker's fixed header,
 * the container's addresses with its hostname, and {@code extra_hosts}.
 */
public final class EtcFiles {
    private EtcFiles() {
    }

    /** resolv.conf for the namespace owned by {@code c}. */
    public static String resolvConf(TopologyPlan plan, ContainerPlan c) {
        boolean embedded = c.endpoints().stream()
                .map(e -> plan.network(e.network()).map(NetworkPlan::embeddedDns).orElse(false))
                .anyMatch(b -> b);
        StringBuilder sb = new StringBuilder();
        if (embedded) {
            sb.append("nameserver 127.0.0.11\n").append("options ndots:0\n");
        } else {
            List<String> servers = c.dns().isEmpty() ? plan.hostUpstreams() : c.dns();
            for (String s : servers) {
                sb.append("nameserver ").append(s).append('\n');
            }
        }
        return sb.toString();
    }

    /** hosts for the namespace owned by {@code c}. */
    public static String hosts(ContainerPlan c) {
        StringBuilder sb = new StringBuilder();
        sb.append("127.0.0.1\tlocalhost\n");
        sb.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.append("fe00::\tip6-localnet\n");
        sb.append("ff00::\tip6-mcastprefix\n");
        sb.append("ff02::1\tip6-allnodes\n");
        sb.append("ff02::2\tip6-allrouters\n");
        c.extraHosts().forEach((name, addr) -> sb.append(addr).append('\t').append(name).append('\n'));
        for (EndpointPlan e : c.endpoints()) {
            sb.append(e.address()).append('\t').append(c.hostname()).append('\n');
        }
        return sb.toString();
    }

    /** resolv.conf of the Docker host namespace: its upstream servers. */
    public static String hostResolvConf(List<String> upstreams) {
        StringBuilder sb = new StringBuilder();
        for (String s : upstreams) {
            sb.append("nameserver ").append(s).append('\n');
        }
        return sb.toString();
    }
}
