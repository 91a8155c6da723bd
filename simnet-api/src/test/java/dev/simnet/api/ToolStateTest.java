package dev.simnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tool-based reader used for real-kernel backends ({@code ip -j}, {@code conntrack -L},
 * {@code iptables-save -c}, {@code dig}) agrees with the simulator's direct reader when both read the
 * same simulated namespace — whose tools print what the real ones print.
 */
class ToolStateTest {
    private static SimnetHandle start() {
        return Simnet.topology().project("ts")
                .service("web", s -> s.image("nginx").publish(8080, 80))
                .service("client", s -> s.image("alpine"))
                .seed(5).start();
    }

    @Test
    void addressesRoutesNeighboursAndFdbAgree() {
        try (SimnetHandle net = start()) {
            net.exec("client", "ping", "-c", "1", "web");
            for (Target t : List.of(Target.service("client"), Target.service("web"), Target.host())) {
                NamespaceState direct = net.state(t);
                assertEquals(direct.addresses(), ToolState.addresses(net, t), t.toString());
                assertEquals(direct.routes().stream().map(r -> r.destination() + " " + r.gateway() + " " + r.device())
                                .collect(Collectors.toList()),
                        ToolState.routes(net, t).stream().map(r -> r.destination() + " " + r.gateway() + " " + r.device())
                                .collect(Collectors.toList()), t.toString());
                assertEquals(direct.neighbours(), ToolState.neighbours(net, t), t.toString());
                // the kernel lists a bridge's table in hash order: compared as a set (and by size, against duplicates)
                assertEquals(new java.util.HashSet<>(direct.fdb()), new java.util.HashSet<>(ToolState.fdb(net, t)), t.toString());
                assertEquals(direct.fdb().size(), ToolState.fdb(net, t).size(), t.toString());
            }
        }
    }

    @Test
    void theComparedNeighbourAndFdbTablesAreNotEmpty() {
        try (SimnetHandle net = start()) {
            net.exec("client", "ping", "-c", "1", "web");
            List<Neighbour> n = ToolState.neighbours(net, Target.service("client"));
            assertTrue(n.stream().anyMatch(e -> "REACHABLE".equals(e.state()) && e.mac() != null), n.toString());
            List<FdbEntry> f = ToolState.fdb(net, Target.host());
            assertTrue(f.stream().anyMatch(e -> !e.permanent() && e.port().startsWith("veth")), f.toString());
            assertTrue(f.stream().anyMatch(e -> e.permanent() && e.port().equals(e.bridge())), f.toString());
        }
    }

    @Test
    void conntrackAndRuleCountersAgreeOnTheHost() {
        try (SimnetHandle net = start()) {
            assertEquals(0, net.execOnHost("curl", "-s", "http://203.0.113.1:8080/").exitCode());
            net.advance(java.time.Duration.ofSeconds(5)); // let the connection's close finish: both reads then see one state
            List<ConntrackEntry> viaTool = ToolState.conntrack(net, Target.host());
            NamespaceState direct = net.state(Target.host());
            assertFalse(direct.conntrack().isEmpty());
            assertEquals(direct.conntrack(), viaTool);
            assertEquals(new java.util.HashSet<>(direct.rules()), new java.util.HashSet<>(ToolState.rules(net, Target.host())));
            assertTrue(direct.rules().stream().anyMatch(r -> r.chain().equals("DOCKER") && r.packets() == 1), direct.rules().toString());
        }
    }

    @Test
    void digBasedResolutionAgreesWithTheStubResolver() {
        try (SimnetHandle net = start()) {
            for (String name : List.of("web", "nosuchname", "example.com")) {
                Resolution direct = net.resolve("client", name);
                Resolution tools = ToolState.resolve(net, Target.service("client"), name);
                assertEquals(direct.rcode(), tools.rcode(), name);
                assertEquals(direct.addresses(), tools.addresses(), name);
            }
        }
    }

    @Test
    void conntrackLinesParse() {
        ConntrackEntry e = ToolState.conntrackLine("tcp      6 117 TIME_WAIT src=203.0.113.1 dst=203.0.113.1 sport=40000 dport=8080 "
                + "src=172.18.0.2 dst=172.18.0.1 sport=80 dport=40000 [ASSURED] mark=0 use=1");
        assertEquals("TIME_WAIT", e.tcpState());
        assertEquals(new FlowTuple("203.0.113.1", 40000, "203.0.113.1", 8080), e.original());
        assertTrue(e.destinationNat() && e.sourceNat() && e.assured() && e.seenReply());
        assertEquals(117, e.expiresInSeconds());
        ConntrackEntry u = ToolState.conntrackLine("udp      17 29 src=172.18.0.3 dst=203.0.113.53 sport=5000 dport=53 [UNREPLIED] "
                + "src=203.0.113.53 dst=203.0.113.1 sport=53 dport=5000 mark=0 use=1");
        assertFalse(u.seenReply());
        assertTrue(u.sourceNat());
        assertFalse(u.destinationNat());
        assertEquals(null, ToolState.conntrackLine("conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown."));
        // a bridge's IGMP report: protocol "unknown", no ports
        ConntrackEntry g = ToolState.conntrackLine("unknown  2 596 src=172.18.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 "
                + "dst=172.18.0.1 mark=0 use=1");
        assertEquals("unknown", g.protocol());
        assertEquals(new FlowTuple("172.18.0.1", 0, "224.0.0.22", 0), g.original());
        assertEquals(new FlowTuple("224.0.0.22", 0, "172.18.0.1", 0), g.reply());
        assertFalse(g.seenReply() || g.sourceNat() || g.destinationNat());
        assertEquals(596, g.expiresInSeconds());
    }
}
