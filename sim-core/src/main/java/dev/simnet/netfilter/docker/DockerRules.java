package dev.simnet.netfilter.docker;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.netfilter.Chain;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.Match;
import dev.simnet.netfilter.Match.AddrTypeLocal;
import dev.simnet.netfilter.Match.CtState;
import dev.simnet.netfilter.Match.Destination;
import dev.simnet.netfilter.Match.DestinationPort;
import dev.simnet.netfilter.Match.InInterface;
import dev.simnet.netfilter.Match.OutInterface;
import dev.simnet.netfilter.Match.Protocol;
import dev.simnet.netfilter.Match.Source;
import dev.simnet.netfilter.Match.SourcePort;
import dev.simnet.netfilter.Rule;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.Target;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Docker 29's iptables rule set as data, generated from a {@link TopologyPlan}: what the bridge
 * driver installs in the host ("docker host") namespace, following the listings in moby's
 * {@code integration/network/bridge/iptablesdoc/generated/usernet-*.md} — filter FORWARD through
 * DOCKER-USER and DOCKER-FORWARD (DOCKER-CT, DOCKER-INTERNAL, DOCKER-BRIDGE → DOCKER), per-port
 * ACCEPTs ahead of each bridge's {@code ! -i br -o br -j DROP}; nat PREROUTING/OUTPUT addrtype
 * LOCAL → DOCKER, MASQUERADE per subnet, DNAT per published port ({@code ! -i br} with the
 * userland proxy; without it, hairpin MASQUERADE rules); raw PREROUTING DROP of direct access to
 * a published container from other interfaces. Only running containers' ports have rules (a stopped
 * container has no endpoints in the plan), in the order Docker added them ({@link ContainerPlan#portsSeq()}).
 * Also the per-container embedded-DNS NAT rules (daemon/libnetwork/resolver_unix.go).
 */
public final class DockerRules {
    /** The embedded resolver's address. */
    public static final Ipv4Address RESOLVER = Ipv4Address.of(127, 0, 0, 11);

    private DockerRules() {
    }

    /** Generator options beyond the plan. */
    public record Options(boolean forwardPolicyDrop) {
        /** Docker's defaults: it enabled IP forwarding itself, so the filter FORWARD policy is DROP. */
        public static Options defaults() {
            return new Options(true);
        }
    }

    /** The host namespace's rule set for {@code plan} with default options. */
    public static RuleSet hostRules(dev.simnet.topology.TopologyPlan plan) {
        return hostRules(plan, Options.defaults());
    }

    /** The host namespace's rule set for {@code plan}. */
    public static RuleSet hostRules(dev.simnet.topology.TopologyPlan plan, Options opts) {
        RuleSet rs = new RuleSet();
        boolean proxy = plan.userlandProxy();
        // filter: chains as the daemon creates them at start-up
        Chain forward = rs.builtin(Table.FILTER, Hook.FORWARD);
        if (opts.forwardPolicyDrop()) {
            forward.setPolicy(Target.DROP);
        }
        Chain docker = rs.newChain(Table.FILTER, "DOCKER");
        Chain bridgeChain = rs.newChain(Table.FILTER, "DOCKER-BRIDGE");
        Chain ct = rs.newChain(Table.FILTER, "DOCKER-CT");
        Chain fwd = rs.newChain(Table.FILTER, "DOCKER-FORWARD");
        Chain internal = rs.newChain(Table.FILTER, "DOCKER-INTERNAL");
        rs.newChain(Table.FILTER, "DOCKER-USER");
        forward.append(new Target.Jump("DOCKER-USER"));
        forward.append(new Target.Jump("DOCKER-FORWARD"));
        fwd.append(new Target.Jump("DOCKER-CT"));
        fwd.append(new Target.Jump("DOCKER-INTERNAL"));
        fwd.append(new Target.Jump("DOCKER-BRIDGE"));
        // nat
        Chain natDocker = rs.newChain(Table.NAT, "DOCKER");
        rs.builtin(Table.NAT, Hook.PREROUTING).append(new Target.Jump("DOCKER"), new AddrTypeLocal(false, false));
        if (proxy) {
            rs.builtin(Table.NAT, Hook.OUTPUT).append(new Target.Jump("DOCKER"),
                    new Destination(Ipv4Cidr.parse("127.0.0.0/8"), true), new AddrTypeLocal(false, false));
        } else {
            rs.builtin(Table.NAT, Hook.OUTPUT).append(new Target.Jump("DOCKER"), new AddrTypeLocal(false, false));
        }
        Chain post = rs.builtin(Table.NAT, Hook.POSTROUTING);
        Chain rawPre = rs.builtin(Table.RAW, Hook.PREROUTING);

        // per network, in creation order
        for (NetworkPlan n : plan.networks()) {
            String br = n.bridgeName();
            Ipv4Cidr subnet = n.subnet().canonical();
            if (n.internal()) {
                if (n.icc()) {
                    fwd.append(new Target.Accept(), new InInterface(br, false), new OutInterface(br, false));
                } else {
                    fwd.append(Target.DROP, new InInterface(br, false), new OutInterface(br, false));
                }
                internal.insert(1, Rule.of(Target.DROP, new Destination(subnet, true), new InInterface(br, false)));
                internal.insert(1, Rule.of(Target.DROP, new Source(subnet, true), new OutInterface(br, false)));
                continue;
            }
            ct.append(Target.ACCEPT, new OutInterface(br, false), new CtState(Match.CT_RELATED | Match.CT_ESTABLISHED, false));
            bridgeChain.append(new Target.Jump("DOCKER"), new OutInterface(br, false));
            if (n.icc()) {
                fwd.append(Target.ACCEPT, new InInterface(br, false));
            } else {
                fwd.append(Target.DROP, new InInterface(br, false), new OutInterface(br, false));
                fwd.append(Target.ACCEPT, new InInterface(br, false), new OutInterface(br, true));
            }
            docker.append(Target.DROP, new InInterface(br, true), new OutInterface(br, false));
            post.insert(1, Rule.of(new Target.Masquerade(0, 0, false, false), new Source(subnet, false), new OutInterface(br, true)));
            if (!proxy) {
                post.insert(1, Rule.of(new Target.Masquerade(0, 0, false, false), new OutInterface(br, false), new AddrTypeLocal(true, false)));
            }
        }

        // per running container with published ports, in the order Docker programmed them
        List<Rule> hairpin = new ArrayList<>();
        for (ContainerPlan c : portOrder(plan)) {
            if (c.ports().isEmpty() || !c.ownsNamespace()) {
                continue;
            }
            Optional<EndpointPlan> epo = publishEndpoint(plan, c);
            if (epo.isEmpty()) {
                continue;
            }
            EndpointPlan ep = epo.get();
            NetworkPlan n = plan.network(ep.network()).orElseThrow();
            String br = n.bridgeName();
            Ipv4Cidr ctr = Ipv4Cidr.of(ep.address(), 32);
            for (PortPlan p : c.ports()) {
                int proto = Match.protocolNumber(p.protocol());
                docker.insert(1, Rule.of(Target.ACCEPT, new Destination(ctr, false), new InInterface(br, true),
                        new OutInterface(br, false), new Protocol(proto, false),
                        new DestinationPort(p.containerPort(), p.containerPort(), false)));
                List<Match> dm = new ArrayList<>();
                if (!p.hostIp().isAny()) {
                    dm.add(new Destination(Ipv4Cidr.of(p.hostIp(), 32), false));
                }
                if (proxy) {
                    dm.add(new InInterface(br, true));
                }
                dm.add(new Protocol(proto, false));
                dm.add(new DestinationPort(p.hostPort(), p.hostPort(), false));
                natDocker.append(new Rule(dm, new Target.Dnat(ep.address(), p.containerPort(), p.containerPort()), null));
                if (!proxy) {
                    hairpin.add(Rule.of(new Target.Masquerade(0, 0, false, false), new Source(ctr, false), new Destination(ctr, false),
                            new Protocol(proto, false), new DestinationPort(p.containerPort(), p.containerPort(), false)));
                }
            }
            rawPre.append(Target.DROP, new Destination(ctr, false), new InInterface(br, true));
        }
        for (Rule r : hairpin) {
            post.append(r);
        }
        rs.validate();
        return rs;
    }

    /**
     * The containers in the order the daemon programmed their published ports: by
     * {@link ContainerPlan#portsSeq()} (a container started again after {@code compose up} comes after
     * the others, as its rules were added last), ties in the plan's (start) order.
     */
    static List<ContainerPlan> portOrder(dev.simnet.topology.TopologyPlan plan) {
        List<ContainerPlan> out = new ArrayList<>(plan.containers());
        out.sort(java.util.Comparator.comparingLong(ContainerPlan::portsSeq));
        return out;
    }

    /**
     * The endpoint a container's published ports map to: its first attachment to a non-internal network.
     * Empty for a stopped container: {@code docker stop} removes its endpoints, and with them Docker
     * deletes the port mappings' DNAT, filter ACCEPT, raw DROP and hairpin MASQUERADE rules (moby's
     * bridge driver, {@code setPerPortIptables} with {@code enable=false}) and stops their docker-proxy.
     */
    static Optional<EndpointPlan> publishEndpoint(dev.simnet.topology.TopologyPlan plan, ContainerPlan c) {
        for (EndpointPlan ep : c.endpoints()) {
            Optional<NetworkPlan> n = plan.network(ep.network());
            if (n.isPresent() && !n.get().internal()) {
                return Optional.of(ep);
            }
        }
        return Optional.empty();
    }

    /**
     * The rules Docker installs inside a container namespace on a user-defined network for the
     * embedded DNS: nat OUTPUT DNAT of 127.0.0.11:53 to the resolver's real ports and POSTROUTING
     * SNAT of its answers back to port 53.
     */
    public static RuleSet containerDnsRules(int udpPort, int tcpPort) {
        RuleSet rs = new RuleSet();
        addContainerDnsRules(rs, udpPort, tcpPort);
        rs.validate();
        return rs;
    }

    /** Adds the embedded-DNS rules to an existing rule set. */
    public static void addContainerDnsRules(RuleSet rs, int udpPort, int tcpPort) {
        Ipv4Cidr res = Ipv4Cidr.of(RESOLVER, 32);
        Chain out = rs.newChain(Table.NAT, "DOCKER_OUTPUT");
        Chain post = rs.newChain(Table.NAT, "DOCKER_POSTROUTING");
        rs.builtin(Table.NAT, Hook.OUTPUT).append(new Target.Jump("DOCKER_OUTPUT"), new Destination(res, false));
        rs.builtin(Table.NAT, Hook.POSTROUTING).append(new Target.Jump("DOCKER_POSTROUTING"), new Destination(res, false));
        out.append(new Target.Dnat(RESOLVER, tcpPort, tcpPort), new Destination(res, false), new Protocol(6, false),
                new DestinationPort(53, 53, false));
        out.append(new Target.Dnat(RESOLVER, udpPort, udpPort), new Destination(res, false), new Protocol(17, false),
                new DestinationPort(53, 53, false));
        post.append(new Target.Snat(null, 53, 53, false, false), new Source(res, false), new Protocol(6, false),
                new SourcePort(tcpPort, tcpPort, false));
        post.append(new Target.Snat(null, 53, 53, false, false), new Source(res, false), new Protocol(17, false),
                new SourcePort(udpPort, udpPort, false));
    }
}
