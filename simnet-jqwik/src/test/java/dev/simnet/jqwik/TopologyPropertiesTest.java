package dev.simnet.jqwik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.api.Container;
import dev.simnet.api.Endpoint;
import dev.simnet.api.FlowException;
import dev.simnet.api.Resolution;
import dev.simnet.api.Simnet;
import dev.simnet.api.SimnetHandle;
import dev.simnet.api.TcpFlow;
import dev.simnet.api.Topology;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/** Properties of Docker's networking over generated topologies, run on the simulator. */
class TopologyPropertiesTest {

    @Provide
    Arbitrary<Topology> topologies() {
        return SimnetArbitraries.topologies();
    }

    @Provide
    Arbitrary<SimnetArbitraries.FlowCase> flowCases() {
        return SimnetArbitraries.flowCases();
    }

    /** The compose keys of the networks {@code service}'s namespace is attached to. */
    static Set<String> networksOf(Topology t, String service) {
        return new LinkedHashSet<>(t.namespaceOwner(service).networkNames());
    }

    /** The names {@code from} can resolve on network {@code key}: namespace-owning services there and their aliases. */
    static boolean visible(Topology t, String from, Topology.ServiceSpec to, String name) {
        if (to.sharesNamespaceWith() != null) {
            return false;
        }
        Set<String> mine = networksOf(t, from);
        if (name.equals(to.name())) {
            return to.networkNames().stream().anyMatch(mine::contains);
        }
        return to.networks().stream().anyMatch(a -> a.aliases().contains(name) && mine.contains(a.network()));
    }

    @Property(tries = 12, shrinking = ShrinkingMode.BOUNDED)
    void everyServiceResolvesOnItsNetworksAndNowhereElse(@ForAll("topologies") Topology t) {
        try (SimnetHandle net = Simnet.of(t).seed(1).start()) {
            List<Container> cs = net.containers();
            for (Topology.ServiceSpec from : t.services()) {
                for (Topology.ServiceSpec to : t.services()) {
                    if (from == to || to.sharesNamespaceWith() != null) {
                        continue;
                    }
                    Resolution r = net.resolve(from.name(), to.name());
                    if (!visible(t, from.name(), to, to.name())) {
                        assertFalse(r.found(), from.name() + " should not resolve " + to.name() + ": " + r);
                        continue;
                    }
                    assertTrue(r.found(), from.name() + " should resolve " + to.name() + ": " + r);
                    Set<String> addrs = new LinkedHashSet<>();
                    for (Container c : cs) {
                        if (c.service().equals(to.name())) {
                            for (Endpoint e : c.endpoints()) {
                                addrs.add(e.address());
                            }
                        }
                    }
                    assertTrue(addrs.containsAll(r.addresses()), to.name() + " answered " + r.addresses() + ", has " + addrs);
                }
            }
        }
    }

    @Property(tries = 12, shrinking = ShrinkingMode.BOUNDED)
    void aTcpFlowConnectsExactlyWhenTheNameIsVisibleAndAServerListens(@ForAll("flowCases") SimnetArbitraries.FlowCase c) {
        Topology t = c.topology();
        Flow f = c.flow();
        Topology.ServiceSpec to = t.service(f.service());
        boolean visible = visible(t, f.from(), to, f.to());
        boolean listens = SimnetArbitraries.listens(t, to, f.port());
        try (SimnetHandle net = Simnet.of(t).seed(2).start()) {
            if (!visible) {
                FlowException e = org.junit.jupiter.api.Assertions.assertThrows(FlowException.class,
                        () -> net.connect(f.from(), f.to(), f.port()));
                assertEquals("EAI_NONAME", e.errno());
                return;
            }
            if (!listens) {
                FlowException e = org.junit.jupiter.api.Assertions.assertThrows(FlowException.class,
                        () -> net.connect(f.from(), f.to(), f.port()));
                assertEquals("ECONNREFUSED", e.errno());
                return;
            }
            try (TcpFlow flow = net.connect(f.from(), f.to(), f.port())) {
                if (f.port() == 80 && !to.image().equals("alpine")) {
                    flow.write("GET / HTTP/1.1\r\nHost: " + f.to() + "\r\nConnection: close\r\n\r\n");
                    assertTrue(flow.readAll(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), f.toString());
                } else if (f.port() == 6379) {
                    flow.write("PING\r\n");
                    assertEquals("+PONG\r\n", new String(flow.read(Duration.ofSeconds(5)), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** The sample jqwik once found: nginx in s0's namespace (network_mode: service:s0) serves s0's port 80. */
    @net.jqwik.api.Example
    void aServerInASharedNamespaceListensForItsOwner() {
        Topology t = Topology.builder().project("topo")
                .service("s0", s -> s.image("alpine"))
                .service("s1", s -> s.image("nginx").sharesNamespaceWith("s0"))
                .build();
        assertFalse(SimnetArbitraries.listens(t.service("s0"), 80), "alpine itself listens nowhere");
        assertTrue(SimnetArbitraries.listens(t, t.service("s0"), 80), "nginx shares s0's namespace");
        try (SimnetHandle net = Simnet.of(t).seed(2).start(); TcpFlow flow = net.connect("s1", "s0", 80)) {
            flow.write("GET / HTTP/1.1\r\nHost: s0\r\nConnection: close\r\n\r\n");
            assertTrue(flow.readAll(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"));
        }
    }

    @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
    void publishedPortsAnswerFromTheInternetExactlyWhenAServerListens(@ForAll("topologies") Topology t) {
        try (SimnetHandle net = Simnet.of(t).seed(3).start()) {
            for (Topology.ServiceSpec s : t.services()) {
                for (Topology.PortMapping p : s.ports()) {
                    boolean internalOnly = !s.networkNames().isEmpty() && s.networkNames().stream().allMatch(n ->
                            t.networks().stream().anyMatch(x -> x.name().equals(n) && x.internal()));
                    boolean listens = !internalOnly && SimnetArbitraries.listens(t, s, p.containerPort());
                    if (listens) {
                        try (TcpFlow f = net.connect(dev.simnet.api.Target.internet(), "203.0.113.1", p.hostPort())) {
                            assertTrue(f.remoteEndpoint().endsWith(":" + p.hostPort()), f.remoteEndpoint());
                        }
                    } else {
                        FlowException e = org.junit.jupiter.api.Assertions.assertThrows(FlowException.class,
                                () -> net.connect(dev.simnet.api.Target.internet(), "203.0.113.1", p.hostPort()).close(),
                                s.name() + " publishes " + p + " but nothing should answer");
                        assertTrue(List.of("ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH").contains(e.errno()), e.getMessage());
                    }
                }
            }
        }
    }
}
