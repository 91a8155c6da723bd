package dev.simnet.scenarios.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.scenarios.docker.ControlPlane;
import dev.simnet.scenarios.docker.DockerOptions;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example parses, builds the plan Docker would, and its docker-CLI expectations hold. */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("examples");

    record Example(ComposeFile compose, SimnetSpec spec, DockerProject project) {
        TopologyPlan plan() {
            return project.plan();
        }

        Ipv4Address ip(String container, String network) {
            return plan().container(container).orElseThrow().endpoints().stream().filter(e -> e.network().equals(network))
                    .map(EndpointPlan::address).findFirst().orElseThrow();
        }

        Ipv4Cidr subnet(String network) {
            return plan().network(network).orElseThrow().subnet();
        }
    }

    static Example load(String name) {
        Path file = EXAMPLES.resolve(name).resolve("compose.yaml");
        ComposeFile f = ComposeParser.parseFile(file, new ComposeParser.Options(null, Map.of()));
        SimnetSpec s = StepsParser.parse(f, file);
        return new Example(f, s, ControlPlane.build(f, s.options(DockerOptions.defaults(), null)));
    }

    static Ipv4Address a(String s) {
        return Ipv4Address.parse(s);
    }

    @Test
    void connectStartsWithClientOffTheBackNetwork() {
        Example e = load("connect");
        // networks in sorted key order: back before default
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), e.subnet("connect_back"));
        assertEquals(Ipv4Cidr.parse("172.19.0.0/16"), e.subnet("connect_default"));
        assertEquals(a("172.18.0.2"), e.ip("connect-web-1", "connect_back"));
        assertEquals(a("172.19.0.2"), e.ip("connect-client-1", "connect_default"));
        assertEquals(1, e.plan().container("connect-client-1").orElseThrow().endpoints().size());
    }

    @Test
    void noUserlandProxyPlansWithoutTheProxy() {
        Example e = load("no-userland-proxy");
        assertFalse(e.plan().userlandProxy());
        assertEquals(a("172.18.0.2"), e.ip("noproxy-echo-1", "noproxy_default"));
        assertEquals(a("172.18.0.3"), e.ip("noproxy-client-1", "noproxy_default"));
    }

    @Test
    void everyExampleIsCoveredHere() throws IOException {
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            assertEquals(List.of("article-default", "article-shared", "connect", "internal", "lossy-link", "no-userland-proxy",
                    "published-ports", "replicas", "two-networks"), dirs.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void articleDefault() {
        Example e = load("article-default");
        assertEquals("linuxnetworks", e.compose().project());
        assertEquals(Ipv4Cidr.parse("172.17.0.0/16"), e.subnet("bridge"));
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), e.subnet("linuxnetworks_default"));
        assertEquals(a("172.18.0.1"), e.plan().network("linuxnetworks_default").orElseThrow().gateway());
        assertEquals(a("172.18.0.2"), e.ip("linuxnetworks-nginx_a-1", "linuxnetworks_default"));
        assertEquals(a("172.18.0.3"), e.ip("linuxnetworks-nginx_b-1", "linuxnetworks_default"));
        assertEquals(List.of(new PortPlan(Ipv4Address.ANY, 8080, 80, "tcp")),
                e.plan().container("linuxnetworks-nginx_a-1").orElseThrow().ports());
        assertEquals(2, e.plan().containers().stream().filter(ContainerPlan::ownsNamespace).count(), "two namespaces");
    }

    @Test
    void articleShared() {
        Example e = load("article-shared");
        ContainerPlan b = e.plan().container("linuxnetworks-nginx_b-1").orElseThrow();
        assertEquals("linuxnetworks-nginx_a-1", b.netns());
        assertTrue(b.endpoints().isEmpty());
        assertEquals(List.of("9080/tcp"), b.extensions().get("listen"), "netsvc.conf replaces default.conf");
        ContainerPlan a = e.plan().container("linuxnetworks-nginx_a-1").orElseThrow();
        assertEquals(List.of(8080, 9080), a.ports().stream().map(PortPlan::hostPort).toList());
        assertEquals(a("172.18.0.2"), e.ip("linuxnetworks-nginx_a-1", "linuxnetworks_default"));
        assertEquals(1, e.plan().containers().stream().filter(ContainerPlan::ownsNamespace).count(), "one namespace");
    }

    @Test
    void replicas() {
        Example e = load("replicas");
        assertEquals(a("172.18.0.2"), e.ip("replicas-web-1", "replicas_default"));
        assertEquals(a("172.18.0.3"), e.ip("replicas-web-2", "replicas_default"));
        assertEquals(a("172.18.0.4"), e.ip("replicas-web-3", "replicas_default"));
        assertEquals(a("172.18.0.5"), e.ip("replicas-client-1", "replicas_default"));
        assertEquals("whoami", e.plan().container("replicas-web-1").orElseThrow().extensions().get("model"));
    }

    @Test
    void twoNetworks() {
        Example e = load("two-networks");
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), e.subnet("twonets_front"));
        assertEquals(Ipv4Cidr.parse("172.19.0.0/16"), e.subnet("twonets_back"));
        assertEquals(a("172.18.0.2"), e.ip("twonets-frontend-1", "twonets_front"));
        ContainerPlan api = e.plan().container("twonets-api-1").orElseThrow();
        assertEquals(List.of("twonets_back", "twonets_front"), api.endpoints().stream().map(EndpointPlan::network).toList());
        assertEquals(a("172.19.0.2"), e.ip("twonets-api-1", "twonets_back"));
        assertEquals(a("172.18.0.3"), e.ip("twonets-api-1", "twonets_front"));
        assertEquals(a("172.19.0.3"), e.ip("twonets-db-1", "twonets_back"));
    }

    @Test
    void internal() {
        Example e = load("internal");
        assertTrue(e.plan().network("internalnet_private").orElseThrow().internal());
        assertFalse(e.plan().network("internalnet_public").orElseThrow().internal());
        assertEquals(a("172.18.0.2"), e.ip("internalnet-app-1", "internalnet_private"));
        ContainerPlan proxy = e.plan().container("internalnet-proxy-1").orElseThrow();
        assertEquals(List.of("eth0", "eth1"), proxy.endpoints().stream().map(EndpointPlan::ifname).toList());
        assertEquals(a("172.18.0.3"), e.ip("internalnet-proxy-1", "internalnet_private"));
        assertEquals(a("172.19.0.2"), e.ip("internalnet-proxy-1", "internalnet_public"));
    }

    @Test
    void publishedPorts() {
        Example e = load("published-ports");
        assertEquals(List.of(new PortPlan(Ipv4Address.ANY, 8080, 80, "tcp"), new PortPlan(Ipv4Address.LOOPBACK, 8443, 80, "tcp"),
                new PortPlan(Ipv4Address.ANY, 9000, 80, "tcp")), e.plan().container("ports-web-1").orElseThrow().ports());
        assertEquals(a("172.18.0.3"), e.ip("ports-echo-1", "ports_default"));
        assertTrue(e.plan().userlandProxy());
    }

    @Test
    void lossyLink() {
        Example e = load("lossy-link");
        assertEquals(7L, e.plan().seed());
        assertEquals("delay 20ms 2ms loss 5%", e.spec().impairments().get(0).describe());
        assertEquals("lossy_default", e.spec().impairments().get(0).network());
    }

    /** Steps answered by the control plane itself (docker … on the host) must hold already, without an engine. */
    @Test
    void dockerCliExpectationsHold() throws IOException {
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            for (Path dir : dirs.sorted().toList()) {
                Example e = load(dir.getFileName().toString());
                FakeEngine engine = new FakeEngine();
                ScenarioRunner.Report r = ScenarioRunner.run(e.project(), e.spec(), engine, "fake", null);
                int docker = 0;
                for (ScenarioRunner.StepResult s : r.steps()) {
                    if (s.step() instanceof Step.Exec x && x.targetKind() == Step.TargetKind.HOST && x.argv().get(0).equals("docker")) {
                        docker++;
                        assertTrue(s.ok(), dir + " step " + s.index() + " " + s.step().name() + ": " + s.checks() + "\n"
                                + s.result().stdout() + s.result().stderr());
                    } else if (s.step() instanceof Step.Exec x) {
                        // a $(…) substitution is expanded before the engine sees the command: match its first word then
                        String want = x.line() != null && x.line().contains("$(") ? x.argv().get(0) + " "
                                : String.join(" ", x.argv());
                        assertTrue(engine.calls.stream().anyMatch(c -> c.contains(want)),
                                "non-docker commands go to the engine: " + x.argv());
                    } else {
                        assertTrue(s.ok(), dir + " step " + s.index() + " " + s.error());
                    }
                }
                assertTrue(docker > 0 || dir.endsWith("lossy-link"), dir + " has docker CLI steps");
            }
        }
    }
}
