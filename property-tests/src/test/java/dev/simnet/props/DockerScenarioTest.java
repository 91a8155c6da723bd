package dev.simnet.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.ns.Namespace;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenarios on a simulated Docker host with Docker's generated rule set. */
class DockerScenarioTest {
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;

    static DockerTopology web(boolean proxy) {
        List<NetworkPlan> nets = List.of(DockerTopology.network("bridge", 0, false, true, true),
                DockerTopology.network("p_default", 1, false, true, false));
        ContainerPlan web = DockerTopology.container("p-web-1", 0, nets, List.of(1), List.of(new PortPlan(Ipv4Address.ANY, 8080, 80, "tcp")));
        ContainerPlan cli = DockerTopology.container("p-cli-1", 1, nets, List.of(1), List.of());
        return new DockerTopology(DockerTopology.plan(proxy, nets, List.of(web, cli)), 99);
    }

    @Test
    void containerPingsAndOpensTcpToTheInternetWhichSeesTheMasqueradedAddress() {
        DockerTopology t = web(true);
        Namespace cli = t.containers.get("p-cli-1");
        assertEquals(0, t.send(cli, ICMP, 77, DockerTopology.INTERNET, 0));
        assertEquals(0, t.send(cli, TCP, 41234, DockerTopology.INTERNET, 80));
        t.run(2);
        List<DockerTopology.Seen> atServer = t.seenBy(t.internet);
        assertTrue(atServer.contains(new DockerTopology.Seen(TCP, DockerTopology.HOST_PUBLIC, 41234, DockerTopology.INTERNET, 80)),
                atServer.toString());
        // the echo request was answered by the internet namespace, and the reply reached the container un-NATed
        assertTrue(t.seenBy(cli).contains(new DockerTopology.Seen(ICMP, DockerTopology.INTERNET, 77, Ipv4Address.parseBits("172.18.0.3"), 0)),
                t.seenBy(cli).toString());
        String ct = t.hostNf.conntrack().list(t.sim.now());
        assertTrue(ct.contains("tcp      6 118 SYN_SENT src=172.18.0.3 dst=203.0.113.10 sport=41234 dport=80 [UNREPLIED] "
                + "src=203.0.113.10 dst=203.0.113.1 sport=80 dport=41234 mark=0 use=1"), ct);
        assertTrue(ct.contains("icmp     1 28 src=172.18.0.3 dst=203.0.113.10 type=8 code=0 id=77 src=203.0.113.10 dst=203.0.113.1 type=0 code=0 id=77 mark=0 use=1"), ct);
    }

    @Test
    void anOutsideClientReachesThePublishedPortAndTheContainerSeesItsTrueAddress() {
        for (boolean proxy : new boolean[] {true, false}) {
            DockerTopology t = web(proxy);
            assertEquals(0, t.send(t.internet, TCP, 50000, DockerTopology.HOST_PUBLIC, 8080));
            t.run(1);
            Namespace web = t.containers.get("p-web-1");
            assertEquals(List.of(new DockerTopology.Seen(TCP, DockerTopology.INTERNET, 50000, Ipv4Address.parseBits("172.18.0.2"), 80)),
                    t.seenBy(web), "proxy=" + proxy);
            ConntrackEntry e = t.hostFlows().get(0);
            assertTrue(e.has(ConntrackEntry.DST_NAT) && !e.has(ConntrackEntry.SRC_NAT));
        }
    }

    @Test
    void directAccessToAPublishedContainerFromOutsideIsDropped() {
        DockerTopology t = web(true);
        t.internet.addRoute(dev.simnet.addr.Ipv4Cidr.parse("172.18.0.0/16"), Ipv4Address.parse("203.0.113.1"), "eth0");
        t.send(t.internet, TCP, 50000, Ipv4Address.parseBits("172.18.0.2"), 80);
        t.run(1);
        assertTrue(t.seenBy(t.containers.get("p-web-1")).isEmpty());
        assertEquals(1, t.hostNf.ruleSet().builtin(dev.simnet.netfilter.Table.RAW, dev.simnet.netfilter.Hook.PREROUTING).rules().get(0).packets());
    }

    @Test
    void hairpinToItsOwnPublishedPortWithoutTheUserlandProxy() {
        DockerTopology t = web(false);
        Namespace web = t.containers.get("p-web-1");
        assertEquals(0, t.send(web, TCP, 40000, DockerTopology.HOST_PUBLIC, 8080));
        t.run(1);
        // DNATed to itself and masqueraded to the bridge address by the hairpin MASQUERADE rule
        // (the host also sends the container an ICMP redirect, as Linux does when forwarding out the
        // ingress interface; only the TCP segment matters here)
        List<DockerTopology.Seen> s = t.seenBy(web).stream().filter(x -> x.proto() == TCP).toList();
        assertEquals(1, s.size(), t.seenBy(web).toString());
        assertEquals(Ipv4Address.parseBits("172.18.0.1"), s.get(0).src());
        assertEquals(80, s.get(0).dport());
        assertEquals(Ipv4Address.parseBits("172.18.0.2"), s.get(0).dst());
    }

    @Test
    void embeddedDnsQueriesToPort53AreDnatedToTheResolverAndAnswersComeBackFrom53() {
        DockerTopology t = web(true);
        Namespace cli = t.containers.get("p-cli-1");
        cli.addAddress("lo", dev.simnet.addr.Ipv4Cidr.parse("127.0.0.11/32"));
        dev.simnet.netfilter.Netfilter nf = new dev.simnet.netfilter.Netfilter(cli,
                dev.simnet.netfilter.docker.DockerRules.containerDnsRules(54602, 36395),
                new dev.simnet.netfilter.conntrack.ConntrackTable(), t.sim.streams().stream("nat/p-cli-1"));
        cli.setPacketFilter(nf);
        int resolver = Ipv4Address.parseBits("127.0.0.11");
        assertEquals(0, t.send(cli, UDP, 45000, resolver, 53));
        t.run(0.1);
        List<DockerTopology.Seen> s = t.seenBy(cli);
        assertEquals(1, s.size(), s.toString());
        assertEquals(54602, s.get(0).dport(), "the query reaches the resolver's real port");
        int client = s.get(0).src();
        // the resolver answers from its socket 127.0.0.11:54602; the client must see it come from :53
        assertEquals(0, t.send(cli, resolver, UDP, 54602, client, 45000));
        t.run(0.1);
        assertEquals(new DockerTopology.Seen(UDP, resolver, 53, client, 45000), t.seenBy(cli).get(1));
        String ct = nf.conntrack().list(t.sim.now());
        assertTrue(ct.startsWith("udp      17 29 src=" + Ipv4Address.format(client) + " dst=127.0.0.11 sport=45000 dport=53 src=127.0.0.11 dst="
                + Ipv4Address.format(client) + " sport=54602 dport=45000 mark=0 use=1"), ct);
    }
}
