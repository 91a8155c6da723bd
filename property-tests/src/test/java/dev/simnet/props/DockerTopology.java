package dev.simnet.props;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.host.TransportReceiver;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.docker.DockerRules;
import dev.simnet.ns.Namespace;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.sim.PlanBuilder;
import dev.simnet.sim.Simulation;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import dev.simnet.wire.Checksum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small simulated Docker host built from a {@link TopologyPlan} by the datapath's {@link PlanBuilder}
 * (host namespace, bridges, veth pairs, container namespaces, hairpin without the userland proxy),
 * with Docker's rule set in the host namespace's {@link Netfilter}, plus an "internet" namespace (203.0.113.10/24) on the host's eth0
 * (203.0.113.1/24). Every namespace records the datagrams delivered to it.
 */
final class DockerTopology {
    static final int HOST_PUBLIC = Ipv4Address.parseBits("203.0.113.1");
    static final int INTERNET = Ipv4Address.parseBits("203.0.113.10");

    /** A datagram as the receiving namespace's transport layer saw it. */
    record Seen(int proto, int src, int sport, int dst, int dport) {
        @Override
        public String toString() {
            return new Flow(proto, src, sport, dst, dport).toString();
        }
    }

    final Simulation sim;
    final Namespace host;
    final Namespace internet;
    final Netfilter hostNf;

    /**
     * The host's conntrack entries of the traffic a property sends: all but the IGMP reports the bridges send
     * themselves when they come up (224.0.0.106 memberships, protocol 2).
     */
    java.util.List<dev.simnet.netfilter.conntrack.ConntrackEntry> hostFlows() {
        return hostNf.conntrack().entries(sim.now()).stream()
                .filter(e -> e.original().proto() != dev.simnet.wire.Igmpv3ReportRepr.PROTOCOL).toList();
    }
    final Map<String, Namespace> containers = new LinkedHashMap<>();
    final Map<Namespace, List<Seen>> seen = new LinkedHashMap<>();

    DockerTopology(TopologyPlan plan, long seed) {
        sim = new Simulation(seed);
        PlanBuilder.Built built = PlanBuilder.build(sim, plan);
        host = built.host();
        internet = sim.namespace("internet");
        sim.vethPair(host, "eth0", internet, "eth0");
        sim.addAddress(host, "eth0", "203.0.113.1/24");
        sim.addAddress(internet, "eth0", "203.0.113.10/24");
        sim.setUp(host, "eth0");
        sim.setUp(internet, "eth0");
        record(internet);
        for (ContainerPlan c : plan.containers()) {
            Namespace ns = built.containers().get(c.name());
            containers.put(c.name(), ns);
            record(ns);
            EndpointPlan first = c.endpoints().get(0);
            NetworkPlan n = plan.network(first.network()).orElseThrow();
            if (n.internal()) {
                // Docker gives internal networks no default route; one is added anyway so the
                // host's DOCKER-INTERNAL rules, not the missing route, are what is tested.
                ns.addRoute(Ipv4Cidr.parse("0.0.0.0/0"), n.gateway(), first.ifname());
            }
        }
        hostNf = new Netfilter(host, DockerRules.hostRules(plan), new ConntrackTable(), sim.streams().stream("nat/docker-host"));
        host.setPacketFilter(hostNf);
        record(host);
    }

    private void record(Namespace ns) {
        List<Seen> list = new ArrayList<>();
        seen.put(ns, list);
        ns.setTransportReceiver(new TransportReceiver() {
            @Override
            public void receive(PacketBuffer p, int l4, int l4len, int src, int dst, int proto, int ttl, long now) {
                byte[] b = p.data();
                int sport = proto == 1 ? ((b[l4 + 4] & 0xff) << 8 | (b[l4 + 5] & 0xff)) : ((b[l4] & 0xff) << 8 | (b[l4 + 1] & 0xff));
                int dport = proto == 1 ? (b[l4] & 0xff) : ((b[l4 + 2] & 0xff) << 8 | (b[l4 + 3] & 0xff));
                list.add(new Seen(proto, src, sport, dst, dport));
                p.release();
            }

            @Override
            public void icmpError(PacketBuffer p, int type, int code, int quotedOffset, int quotedLength, long now) {
            }
        });
    }

    /** Sends a UDP datagram or TCP SYN (proto 17/6) or an ICMP echo request (proto 1, sport = id) from {@code from}. */
    int send(Namespace from, int proto, int sport, int dst, int dport) {
        return send(from, from.sourceAddressFor(dst), proto, sport, dst, dport);
    }

    /** As {@link #send(Namespace, int, int, int, int)} from a socket bound to {@code src}. */
    int send(Namespace from, int src, int proto, int sport, int dst, int dport) {
        PacketBuffer seg = sim.pool().acquire();
        int len = proto == 6 ? 20 : 16;
        seg.setLength(len);
        byte[] b = seg.data();
        int s = seg.start();
        java.util.Arrays.fill(b, s, s + len, (byte) 0);
        if (proto == 1) {
            b[s] = 8;
            b[s + 4] = (byte) (sport >>> 8);
            b[s + 5] = (byte) sport;
            int c = Checksum.compute(b, s, len);
            b[s + 2] = (byte) (c >>> 8);
            b[s + 3] = (byte) c;
        } else {
            b[s] = (byte) (sport >>> 8);
            b[s + 1] = (byte) sport;
            b[s + 2] = (byte) (dport >>> 8);
            b[s + 3] = (byte) dport;
            int csumOff;
            if (proto == 6) {
                b[s + 7] = 1;
                b[s + 12] = 0x50;
                b[s + 13] = 0x02;
                b[s + 14] = (byte) 0xfa;
                csumOff = s + 16;
            } else {
                b[s + 5] = (byte) len;
                csumOff = s + 6;
            }
            int c = Checksum.finish(Checksum.sum(b, s, len, Checksum.pseudoHeaderSum(src, dst, proto, len)));
            if (proto == 17 && c == 0) {
                c = 0xffff;
            }
            b[csumOff] = (byte) (c >>> 8);
            b[csumOff + 1] = (byte) c;
        }
        return from.sendIpv4(seg, src, dst, proto, 64, 0, false, sim.now());
    }

    /** Runs the simulation for {@code seconds} of virtual time. */
    void run(double seconds) {
        sim.runFor((long) (seconds * 1e9));
    }

    List<Seen> seenBy(Namespace ns) {
        return seen.get(ns);
    }

    // ------------------------------------------------------------------ plan building

    static NetworkPlan network(String name, int index, boolean internal, boolean icc, boolean dflt) {
        Ipv4Cidr subnet = Ipv4Cidr.parse("172." + (17 + index) + ".0.0/16");
        String bridge = dflt ? "docker0" : "br-" + String.format("%012x", 0xabc000 + index);
        return new NetworkPlan(name, name, String.format("%064x", index + 1), bridge, subnet, subnet.nth(1), subnet,
                MacAddress.of(0x020000000100L + index), internal, icc, dflt, false);
    }

    static ContainerPlan container(String name, int n, List<NetworkPlan> nets, List<Integer> netIdx, List<PortPlan> ports) {
        List<EndpointPlan> eps = new ArrayList<>();
        for (int i = 0; i < netIdx.size(); i++) {
            NetworkPlan net = nets.get(netIdx.get(i));
            eps.add(new EndpointPlan(net.name(), "eth" + i, net.subnet().nth(2 + n), 16, MacAddress.of(0x020000010000L + n * 16 + i),
                    String.format("veth%03x%04x", n, i), List.of()));
        }
        return new ContainerPlan(name, name, 1, String.format("%064x", 0x1000 + n), name, name, "bridge", eps, ports, List.of(),
                List.of(), Map.of(), Map.of(), "alpine", List.of(), Map.of());
    }

    static TopologyPlan plan(boolean proxy, List<NetworkPlan> nets, List<ContainerPlan> ctrs) {
        return new TopologyPlan("p", nets, ctrs, proxy, List.of(), 1);
    }
}
