package dev.simnet.props;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.ns.Namespace;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whole-topology properties on a simulated Docker host (bridges, veth pairs, container namespaces,
 * an internet namespace) running the generated Docker rule set in the host namespace.
 */
class DockerTopologyProperties {
    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** A datagram to send: protocol, source port, destination port; printed as {@code udp :40000 -> :53}. */
    record Send(int proto, int sport, int dport) {
        @Override
        public String toString() {
            return (proto == 6 ? "tcp" : proto == 17 ? "udp" : "icmp") + " :" + sport + " -> :" + dport;
        }
    }

    @Provide
    Arbitrary<Send> sends() {
        return Combinators.combine(Arbitraries.of(6, 17, 1), Arbitraries.integers().between(1024, 65535),
                Arbitraries.integers().between(1, 65535)).as((p, s, d) -> new Send(p, s, p == 1 ? 0 : d));
    }

    /** {@code n} user networks (no default bridge used), containers placed by {@code homes}. */
    static DockerTopology build(int nets, List<Integer> homes, boolean proxy, boolean internalFirst, List<PortPlan> ports0) {
        List<NetworkPlan> ns = new ArrayList<>();
        ns.add(DockerTopology.network("bridge", 0, false, true, true));
        for (int i = 1; i <= nets; i++) {
            ns.add(DockerTopology.network("p_net" + i, i, internalFirst && i == 1, true, false));
        }
        List<ContainerPlan> cs = new ArrayList<>();
        for (int i = 0; i < homes.size(); i++) {
            cs.add(DockerTopology.container("p-c" + i + "-1", i, ns, List.of(1 + homes.get(i) % nets), i == 0 ? ports0 : List.of()));
        }
        return new DockerTopology(DockerTopology.plan(proxy, ns, cs), 7);
    }

    static int addr(DockerTopology t, int i) {
        return ctr(t, i).addresses().stream().mapToInt(dev.simnet.ns.IfAddress::address).filter(x -> (x >>> 24) != 127)
                .findFirst().orElseThrow();
    }

    static Namespace ctr(DockerTopology t, int i) {
        return t.containers.values().stream().skip(i).findFirst().orElseThrow();
    }

    @Property(tries = 40)
    void trafficBetweenTwoContainersOnTheSameBridgeIsNeverNated(
            @ForAll @IntRange(min = 1, max = 3) int nets,
            @ForAll @Size(min = 2, max = 6) List<@IntRange(max = 2) Integer> homes,
            @ForAll @IntRange(max = 5) int a, @ForAll @IntRange(max = 5) int b,
            @ForAll("sends") Send send, @ForAll boolean proxy) {
        int ia = a % homes.size();
        int ib = b % homes.size();
        if (ia == ib || homes.get(ia) % nets != homes.get(ib) % nets) {
            ib = -1;
            for (int j = 0; j < homes.size(); j++) {
                if (j != ia && homes.get(j) % nets == homes.get(ia) % nets) {
                    ib = j;
                    break;
                }
            }
            if (ib < 0) {
                return; // nobody shares a's network
            }
        }
        DockerTopology t = build(nets, homes, proxy, false, List.of());
        int src = addr(t, ia);
        int dst = addr(t, ib);
        t.send(ctr(t, ia), send.proto(), send.sport(), dst, send.dport());
        t.run(1);
        String what = send + " from " + Ipv4Address.format(src) + " to " + Ipv4Address.format(dst);
        if (send.proto() == 1) {
            // the receiving namespace answers the echo itself: the sender sees the reply, id and addresses intact
            List<DockerTopology.Seen> seen = t.seenBy(ctr(t, ia));
            check(seen.equals(List.of(new DockerTopology.Seen(1, dst, send.sport(), src, 0))), what + ": sender saw " + seen);
        } else {
            List<DockerTopology.Seen> seen = t.seenBy(ctr(t, ib));
            check(seen.size() == 1, what + ": receiver saw " + seen);
            check(seen.get(0).src() == src && seen.get(0).sport() == send.sport(), what + ": arrived as " + seen.get(0));
        }
        check(t.hostFlows().isEmpty(), what + ": went through the host's netfilter:\n"
                + t.hostNf.conntrack().list(t.sim.now()));
    }

    @Property(tries = 40)
    void trafficBetweenTwoUserNetworksIsDropped(
            @ForAll @IntRange(min = 2, max = 3) int nets,
            @ForAll @Size(min = 2, max = 6) List<@IntRange(max = 2) Integer> homes,
            @ForAll @IntRange(max = 5) int a, @ForAll @IntRange(max = 5) int b,
            @ForAll("sends") Send send, @ForAll boolean proxy, @ForAll boolean published) {
        int ia = a % homes.size();
        int ib = -1;
        for (int k = 0; k < homes.size(); k++) {
            int j = (b + k) % homes.size();
            if (homes.get(j) % nets != homes.get(ia) % nets) {
                ib = j;
                break;
            }
        }
        if (ib < 0) {
            return; // all containers on one network
        }
        // optionally the target publishes the very port being sent to: isolation must still hold
        List<Integer> hs = new ArrayList<>(homes);
        int target = ib;
        List<PortPlan> ports = published && send.proto() != 1
                ? List.of(new PortPlan(Ipv4Address.ANY, 30000, send.dport(), send.proto() == 6 ? "tcp" : "udp")) : List.of();
        if (!ports.isEmpty() && target != 0) {
            // the generator publishes on container 0: swap roles so the target is container 0
            java.util.Collections.swap(hs, 0, target);
            if (ia == 0) {
                ia = target;
            }
            target = 0;
        }
        DockerTopology t = build(nets, hs, proxy, false, ports);
        int dst = addr(t, target);
        t.send(ctr(t, ia), send.proto(), send.sport(), dst, send.dport());
        t.run(1);
        check(t.seenBy(ctr(t, target)).isEmpty(), send + " from network of " + Ipv4Address.format(addr(t, ia)) + " reached "
                + Ipv4Address.format(dst) + " on another network: " + t.seenBy(ctr(t, target)));
        check(t.seenBy(ctr(t, ia)).isEmpty(), send + " from " + Ipv4Address.format(addr(t, ia)) + " got an answer from another network: "
                + t.seenBy(ctr(t, ia)));
    }

    @Property(tries = 30)
    void anInternalNetworkNeverReachesOutside(
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 0) Integer> homes,
            @ForAll("sends") Send send, @ForAll boolean proxy) {
        DockerTopology t = build(1, homes, proxy, true, List.of());
        for (int i = 0; i < homes.size(); i++) {
            t.send(ctr(t, i), send.proto(), send.sport(), DockerTopology.INTERNET, send.dport());
        }
        t.internet.addRoute(dev.simnet.addr.Ipv4Cidr.parse("172.18.0.0/16"), Ipv4Address.parse("203.0.113.1"), "eth0");
        t.send(t.internet, send.proto(), send.sport(), addr(t, 0), send.dport());
        t.run(1);
        check(t.seenBy(t.internet).isEmpty(), send + " left the internal network: " + t.seenBy(t.internet));
        for (int i = 0; i < homes.size(); i++) {
            check(t.seenBy(ctr(t, i)).isEmpty(), send + ": a container on the internal network exchanged traffic with outside: "
                    + t.seenBy(ctr(t, i)));
        }
    }

    @Property(tries = 40)
    void aPublishedPortReachesItsContainerFromOutsideWithTheTrueClientAddress(
            @ForAll @IntRange(min = 1024, max = 65535) int hostPort, @ForAll @IntRange(min = 1, max = 65535) int ctrPort,
            @ForAll boolean udp, @ForAll @IntRange(min = 1024, max = 65535) int clientPort, @ForAll boolean proxy,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1) Integer> homes) {
        int proto = udp ? 17 : 6;
        List<PortPlan> ports = List.of(new PortPlan(Ipv4Address.ANY, hostPort, ctrPort, udp ? "udp" : "tcp"));
        DockerTopology t = build(2, homes, proxy, false, ports);
        t.send(t.internet, proto, clientPort, DockerTopology.HOST_PUBLIC, hostPort);
        t.run(1);
        DockerTopology.Seen expected = new DockerTopology.Seen(proto, DockerTopology.INTERNET, clientPort, addr(t, 0), ctrPort);
        String what = (udp ? "udp" : "tcp") + " 203.0.113.10:" + clientPort + " -> 203.0.113.1:" + hostPort + " published to "
                + Ipv4Address.format(addr(t, 0)) + ":" + ctrPort;
        check(t.seenBy(ctr(t, 0)).equals(List.of(expected)), what + ": container saw " + t.seenBy(ctr(t, 0)));
        for (int i = 1; i < homes.size(); i++) {
            check(t.seenBy(ctr(t, i)).isEmpty(), what + ": another container saw " + t.seenBy(ctr(t, i)));
        }
        List<ConntrackEntry> es = t.hostFlows();
        check(es.size() == 1 && es.get(0).has(ConntrackEntry.DST_NAT), what + ":\n" + t.hostNf.conntrack().list(t.sim.now()));
    }

    /**
     * docker-proxy, reduced to what matters here: a UDP socket on the host's published port that
     * forwards each datagram to the container from the host's own address (chosen by routing, so the
     * bridge gateway).
     */
    static void userlandProxy(DockerTopology t, int hostPort, int ctrAddr, int ctrPort) {
        t.host.setTransportReceiver(new dev.simnet.host.TransportReceiver() {
            @Override
            public void receive(dev.simnet.packet.PacketBuffer p, int l4, int l4len, int src, int dst, int proto, int ttl, long now) {
                byte[] b = p.data();
                int dport = (b[l4 + 2] & 0xff) << 8 | (b[l4 + 3] & 0xff);
                p.release();
                if (proto == 17 && dport == hostPort) {
                    t.send(t.host, 17, 50000, ctrAddr, ctrPort);
                }
            }

            @Override
            public void icmpError(dev.simnet.packet.PacketBuffer p, int type, int code, int off, int len, long now) {
            }
        });
    }

    @Property(tries = 30)
    void aPublishedPortSeesTheGatewayAddressThroughTheUserlandProxyOrFromAnotherNetwork(
            @ForAll @IntRange(min = 1024, max = 49999) int hostPort, @ForAll @IntRange(min = 1, max = 65535) int ctrPort,
            @ForAll @IntRange(min = 0, max = 2) int from, @ForAll @IntRange(min = 1024, max = 65535) int clientPort) {
        List<PortPlan> ports = List.of(new PortPlan(Ipv4Address.ANY, hostPort, ctrPort, "udp"));
        // container 0 (publisher) and 1 on network 1, container 2 on network 2
        DockerTopology t = build(2, List.of(0, 0, 1), true, false, ports);
        int ctr0 = addr(t, 0);
        userlandProxy(t, hostPort, ctr0, ctrPort);
        String what;
        if (from == 0) {
            what = "hairpin from the publishing container itself";
            t.send(ctr(t, 0), 17, clientPort, DockerTopology.HOST_PUBLIC, hostPort);
        } else if (from == 1) {
            what = "from a container on another network";
            t.send(ctr(t, 2), 17, clientPort, DockerTopology.HOST_PUBLIC, hostPort);
        } else {
            what = "from the host to localhost";
            t.send(t.host, 17, clientPort, Ipv4Address.parseBits("127.0.0.1"), hostPort);
        }
        t.run(1);
        int gateway = Ipv4Address.parseBits("172.18.0.1");
        List<DockerTopology.Seen> seen = t.seenBy(ctr(t, 0)).stream().filter(x -> x.proto() == 17).toList();
        check(seen.size() == 1 && seen.get(0).src() == gateway && seen.get(0).dport() == ctrPort,
                "udp :" + clientPort + " -> published :" + hostPort + " (" + what + "): container saw " + seen);
    }
}
