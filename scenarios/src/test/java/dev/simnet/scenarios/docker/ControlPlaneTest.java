package dev.simnet.scenarios.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.scenarios.compose.ComposeException;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {
    static ComposeFile compose(String yaml) {
        return ComposeParser.parse(yaml, "compose.yaml", Path.of("/tmp/proj"), ComposeParser.Options.defaults());
    }

    static DockerProject build(String yaml) {
        return ControlPlane.build(compose(yaml), 1L);
    }

    static EndpointPlan ep(TopologyPlan p, String container, String network) {
        return p.container(container).orElseThrow().endpoints().stream().filter(e -> e.network().equals(network))
                .findFirst().orElseThrow();
    }

    @Test
    void defaultPoolsInDockerOrder() {
        List<Ipv4Cidr> pools = Ipam.defaultPools();
        assertEquals(31, pools.size());
        assertEquals(Ipv4Cidr.parse("172.17.0.0/16"), pools.get(0));
        assertEquals(Ipv4Cidr.parse("172.31.0.0/16"), pools.get(14));
        assertEquals(Ipv4Cidr.parse("192.168.0.0/20"), pools.get(15));
        assertEquals(Ipv4Cidr.parse("192.168.16.0/20"), pools.get(16));
        assertEquals(Ipv4Cidr.parse("192.168.240.0/20"), pools.get(30));
    }

    @Test
    void lowestFreePoolIsReusedAtOnce() {
        Ipam ipam = new Ipam();
        assertEquals(Ipv4Cidr.parse("172.17.0.0/16"), ipam.allocate());
        Ipv4Cidr b = ipam.allocate();
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), b);
        assertEquals(Ipv4Cidr.parse("172.19.0.0/16"), ipam.allocate());
        ipam.release(b);
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), ipam.allocate(), "Docker 27+: a freed subnet is reused at once");
        assertTrue(ipam.reserve(Ipv4Cidr.parse("172.20.5.0/24")));
        assertEquals(Ipv4Cidr.parse("172.21.0.0/16"), ipam.allocate(), "a pool overlapping a user subnet is skipped");
        for (int i = 0; i < 10; i++) {
            ipam.allocate();
        }
        assertEquals(Ipv4Cidr.parse("192.168.0.0/20"), ipam.allocate(), "after the 172.x pools come 192.168.x.0/20");
    }

    @Test
    void addressesInsideASubnet() {
        Ipam.Subnet s = new Ipam.Subnet(Ipv4Cidr.parse("172.18.0.0/16"), null);
        assertEquals(Ipv4Address.parse("172.18.0.1"), s.next());
        assertEquals(Ipv4Address.parse("172.18.0.2"), s.next());
        assertEquals(Ipv4Address.parse("172.18.0.3"), s.next());
        s.free(Ipv4Address.parse("172.18.0.2"));
        assertEquals(Ipv4Address.parse("172.18.0.2"), s.next());
        Ipam.Subnet tiny = new Ipam.Subnet(Ipv4Cidr.parse("10.0.0.0/30"), null);
        assertEquals(Ipv4Address.parse("10.0.0.1"), tiny.next());
        assertEquals(Ipv4Address.parse("10.0.0.2"), tiny.next());
        assertEquals(null, tiny.next(), "network and broadcast addresses are never handed out");
    }

    @Test
    void theArticlesFirstFile() {
        DockerProject p = build("name: linuxnetworks\nservices:\n  nginx_a:\n    image: nginx\n    ports: ['8080:80']\n"
                + "  nginx_b:\n    image: nginx\n");
        TopologyPlan plan = p.plan();
        NetworkPlan bridge = plan.networks().get(0);
        assertEquals("bridge", bridge.name());
        assertEquals("docker0", bridge.bridgeName());
        assertEquals(Ipv4Cidr.parse("172.17.0.0/16"), bridge.subnet());
        assertEquals(Ipv4Address.parse("172.17.0.1"), bridge.gateway());
        assertTrue(bridge.defaultBridge());
        assertFalse(bridge.embeddedDns());
        NetworkPlan net = plan.network("linuxnetworks_default").orElseThrow();
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), net.subnet());
        assertEquals(Ipv4Address.parse("172.18.0.1"), net.gateway());
        assertEquals("br-" + net.id().substring(0, 12), net.bridgeName());
        assertTrue(net.id().matches("[0-9a-f]{64}"));
        assertEquals(List.of("linuxnetworks-nginx_a-1", "linuxnetworks-nginx_b-1"),
                plan.containers().stream().map(ContainerPlan::name).toList());
        EndpointPlan a = ep(plan, "linuxnetworks-nginx_a-1", "linuxnetworks_default");
        EndpointPlan b = ep(plan, "linuxnetworks-nginx_b-1", "linuxnetworks_default");
        assertEquals(Ipv4Address.parse("172.18.0.2"), a.address());
        assertEquals(Ipv4Address.parse("172.18.0.3"), b.address());
        assertEquals(16, a.prefixLength());
        assertEquals("eth0", a.ifname());
        assertTrue(a.hostVeth().matches("veth[0-9a-f]{7}"));
        assertNotEquals(a.hostVeth(), b.hostVeth());
        assertTrue(a.mac().isLocallyAdministered());
        assertFalse(a.mac().isMulticast());
        ContainerPlan ca = plan.container("linuxnetworks-nginx_a-1").orElseThrow();
        assertTrue(ca.id().matches("[0-9a-f]{64}"));
        assertEquals(ca.shortId(), ca.hostname());
        assertEquals(List.of(new PortPlan(Ipv4Address.ANY, 8080, 80, "tcp")), ca.ports());
        assertEquals(List.of(80), ca.exposedPorts());
        assertEquals("nginx", ca.extensions().get("model"));
        assertEquals(List.of("80/tcp", "[::]:80/tcp"), ca.extensions().get("listen"));
    }

    @Test
    void legacyMacSchemeIs0242PlusTheAddress() {
        ComposeFile f = compose("services: {a: {image: nginx}}");
        DockerProject p = ControlPlane.build(f, DockerOptions.defaults().withMacScheme(DockerOptions.MacScheme.LEGACY_0242));
        assertEquals(MacAddress.parse("02:42:ac:12:00:02"), p.plan().containers().get(0).endpoints().get(0).mac());
        assertEquals(MacAddress.parse("02:42:ac:11:00:02"), ControlPlane.legacyMac(Ipv4Address.parse("172.17.0.2")));
    }

    @Test
    void sameSeedSamePlanOtherSeedOtherIds() {
        String y = "services: {a: {image: nginx}, b: {image: redis, deploy: {replicas: 2}}}";
        TopologyPlan p1 = ControlPlane.build(compose(y), 42L).plan();
        TopologyPlan p2 = ControlPlane.build(compose(y), 42L).plan();
        TopologyPlan p3 = ControlPlane.build(compose(y), 43L).plan();
        assertEquals(p1, p2);
        assertNotEquals(p1.containers().get(0).id(), p3.containers().get(0).id());
        assertNotEquals(p1.containers().get(0).endpoints().get(0).mac(), p3.containers().get(0).endpoints().get(0).mac());
        assertEquals(p1.containers().get(0).endpoints().get(0).address(), p3.containers().get(0).endpoints().get(0).address(),
                "addresses do not depend on the seed");
    }

    @Test
    void startOrderFollowsDependenciesThenFileOrder() {
        DockerProject p = build("services:\n  web: {image: nginx, depends_on: [api]}\n  api: {image: x, links: ['db:database']}\n"
                + "  db: {image: postgres}\n  other: {image: x}\n");
        assertEquals(List.of("proj-db-1", "proj-api-1", "proj-web-1", "proj-other-1"),
                p.plan().containers().stream().map(ContainerPlan::name).toList());
        assertEquals(Ipv4Address.parse("172.18.0.2"), p.plan().containers().get(0).endpoints().get(0).address());
        assertEquals(java.util.Map.of("database", "proj-db-1"), p.plan().container("proj-api-1").orElseThrow().links());
    }

    @Test
    void containerModeWaitsForTheContainerItJoins() {
        DockerProject p = build("services:\n  sidecar: {image: x, network_mode: 'container:vpn-box'}\n"
                + "  vpn: {image: x, container_name: vpn-box}\n");
        assertEquals(List.of("vpn-box", "proj-sidecar-1"), p.plan().containers().stream().map(ContainerPlan::name).toList());
        assertEquals("vpn-box", p.plan().container("proj-sidecar-1").orElseThrow().netns());
        ComposeException e = assertThrows(ComposeException.class,
                () -> build("services:\n  sidecar:\n    image: x\n    network_mode: 'container:elsewhere'\n"));
        assertEquals("compose.yaml:4:19: services.sidecar.network_mode: no such container: \"elsewhere\" "
                + "(container: must name a container of this project)", e.getMessage());
    }

    @Test
    void replicasContainerNameAndHostname() {
        DockerProject p = build("services:\n  web: {image: nginx, scale: 3, hostname: www}\n  db: {image: x, container_name: the-db}\n");
        List<ContainerPlan> web = p.containersOf("web");
        assertEquals(List.of("proj-web-1", "proj-web-2", "proj-web-3"), web.stream().map(ContainerPlan::name).toList());
        assertEquals(List.of(1, 2, 3), web.stream().map(ContainerPlan::replica).toList());
        assertEquals("www", web.get(2).hostname());
        assertEquals(Ipv4Address.parse("172.18.0.4"), web.get(2).endpoints().get(0).address());
        assertTrue(p.plan().container("the-db").isPresent());
    }

    @Test
    void sharedNamespaceJoinsTheFirstReplica() {
        DockerProject p = build("services:\n  a: {image: nginx, scale: 2, ports: ['8080-8081:80']}\n  b:\n    image: nginx\n"
                + "    network_mode: service:a\n  c: {image: x, network_mode: none}\n  d: {image: x, network_mode: host}\n"
                + "  e: {image: x, network_mode: bridge}\n  f: {image: x, network_mode: 'container:proj-a-2'}\n"
                + "    ".replace("    ", ""));
        ContainerPlan b = p.plan().container("proj-b-1").orElseThrow();
        ContainerPlan a1 = p.plan().container("proj-a-1").orElseThrow();
        assertEquals("proj-a-1", b.netns());
        assertFalse(b.ownsNamespace());
        assertTrue(b.endpoints().isEmpty());
        assertTrue(b.ports().isEmpty());
        assertEquals(a1.hostname(), b.hostname(), "a container in another's namespace gets its hostname");
        assertEquals("service:a", b.networkMode());
        assertEquals("container:" + a1.id(), p.hostConfigNetworkMode("proj-b-1"));
        ContainerPlan c = p.plan().container("proj-c-1").orElseThrow();
        assertTrue(c.ownsNamespace());
        assertTrue(c.endpoints().isEmpty());
        assertEquals("host", p.plan().container("proj-d-1").orElseThrow().netns());
        ContainerPlan e = p.plan().container("proj-e-1").orElseThrow();
        assertEquals("bridge", e.endpoints().get(0).network());
        assertEquals(Ipv4Address.parse("172.17.0.2"), e.endpoints().get(0).address());
        assertEquals("proj-a-2", p.plan().container("proj-f-1").orElseThrow().netns());
        assertEquals(List.of("proj_default"), p.plan().networks().stream().filter(n -> !n.defaultBridge())
                .map(NetworkPlan::name).toList());
    }

    @Test
    void ipamOverridesGatewayRangePinnedAndAux() {
        DockerProject p = build(String.join("\n",
                "services:",
                "  a: {image: x, networks: {n: {ipv4_address: 172.28.5.3}}}",
                "  b: {image: x, networks: [n]}",
                "  c: {image: x, networks: [m]}",
                "networks:",
                "  n:",
                "    ipam:",
                "      config:",
                "        - subnet: 172.28.0.0/16",
                "          ip_range: 172.28.5.0/24",
                "          aux_addresses: {router: 172.28.5.1}",
                "  m:",
                "    ipam:",
                "      config: [{subnet: 10.10.0.0/24, gateway: 10.10.0.254}]"));
        NetworkPlan n = p.plan().network("proj_n").orElseThrow();
        assertEquals(Ipv4Address.parse("172.28.5.0"), n.gateway(), "without a gateway the lowest free address of the range");
        assertEquals(Ipv4Cidr.parse("172.28.5.0/24"), n.ipRange());
        assertEquals(Ipv4Address.parse("172.28.5.3"), ep(p.plan(), "proj-a-1", "proj_n").address());
        assertEquals(Ipv4Address.parse("172.28.5.2"), ep(p.plan(), "proj-b-1", "proj_n").address(),
                "aux address .1 and the pinned .3 are skipped");
        NetworkPlan m = p.plan().network("proj_m").orElseThrow();
        assertEquals(Ipv4Address.parse("10.10.0.254"), m.gateway());
        assertEquals(Ipv4Address.parse("10.10.0.1"), ep(p.plan(), "proj-c-1", "proj_m").address());
    }

    @Test
    void userSubnetsAreKeptOutOfTheDefaultPools() {
        DockerProject p = build("services:\n  a: {image: x, networks: [one, two]}\nnetworks:\n  one: {}\n"
                + "  two: {ipam: {config: [{subnet: 172.18.0.0/16}]}}\n");
        assertEquals(Ipv4Cidr.parse("172.19.0.0/16"), p.plan().network("proj_one").orElseThrow().subnet());
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), p.plan().network("proj_two").orElseThrow().subnet());
        ComposeException e = assertThrows(ComposeException.class, () -> build(
                "services:\n  a: {image: x, networks: [one]}\nnetworks:\n  one: {ipam: {config: [{subnet: 172.17.5.0/24}]}}\n"));
        assertEquals("compose.yaml:4:8: networks.one: subnet 172.17.5.0/24 of network \"proj_one\" overlaps 172.17.0.0/16 "
                + "(the default bridge docker0): Pool overlaps with other one on this address space", e.getMessage());
    }

    @Test
    void attachOrderIsPriorityThenNameAndBridgeOptions() {
        DockerProject p = build(String.join("\n",
                "services:",
                "  api:",
                "    image: x",
                "    networks:",
                "      front: {}",
                "      back: {}",
                "      admin: {priority: 10, interface_name: adm0}",
                "networks:",
                "  front: {}",
                "  back: {driver_opts: {com.docker.network.bridge.name: br-back, com.docker.network.bridge.enable_icc: 'false'}}",
                "  admin: {internal: true}"));
        ContainerPlan api = p.plan().container("proj-api-1").orElseThrow();
        assertEquals(List.of("proj_admin", "proj_back", "proj_front"), api.endpoints().stream().map(EndpointPlan::network).toList());
        assertEquals(List.of("adm0", "eth1", "eth2"), api.endpoints().stream().map(EndpointPlan::ifname).toList());
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), p.plan().network("proj_front").orElseThrow().subnet(),
                "networks are created in file order");
        NetworkPlan back = p.plan().network("proj_back").orElseThrow();
        assertEquals("br-back", back.bridgeName());
        assertFalse(back.icc());
        assertTrue(p.plan().network("proj_admin").orElseThrow().internal());
    }

    @Test
    void ephemeralAndRangePortsAndHostGateway() {
        DockerProject p = build("services:\n  a:\n    image: x\n    ports: ['80', '127.0.0.1::81', '9000-9002:53/udp', '8000-8001:90-91']\n"
                + "    extra_hosts: ['host.docker.internal:host-gateway']\n  b: {image: x, ports: ['9000-9002:53/udp']}\n");
        List<PortPlan> a = p.plan().container("proj-a-1").orElseThrow().ports();
        assertEquals(new PortPlan(Ipv4Address.ANY, 32768, 80, "tcp"), a.get(0));
        assertEquals(new PortPlan(Ipv4Address.LOOPBACK, 32769, 81, "tcp"), a.get(1));
        assertEquals(new PortPlan(Ipv4Address.ANY, 9000, 53, "udp"), a.get(2));
        assertEquals(new PortPlan(Ipv4Address.ANY, 8001, 91, "tcp"), a.get(4));
        assertEquals(new PortPlan(Ipv4Address.ANY, 9001, 53, "udp"), p.plan().container("proj-b-1").orElseThrow().ports().get(0),
                "a host range picks the next free port");
        assertEquals("172.17.0.1", p.plan().container("proj-a-1").orElseThrow().extraHosts().get("host.docker.internal"));
    }

    @Test
    void stopStartConnectDisconnect() {
        DockerProject p = build("services:\n  a: {image: x}\n  b: {image: x}\n  c: {image: x, networks: [default, other]}\n"
                + "networks: {other: {}}\n");
        assertEquals(Ipv4Cidr.parse("172.18.0.0/16"), p.plan().network("proj_other").orElseThrow().subnet(),
                "declared networks in file order, the implicit default last");
        assertEquals(Ipv4Address.parse("172.19.0.3"), ep(p.plan(), "proj-b-1", "proj_default").address());
        MacAddress oldMac = ep(p.plan(), "proj-b-1", "proj_default").mac();
        p.stop("proj-b-1", 1_000);
        assertTrue(p.plan().container("proj-b-1").orElseThrow().endpoints().isEmpty());
        EndpointPlan e = p.connect("proj-a-1", "proj_other", List.of("alias"), null);
        assertEquals("eth1", e.ifname());
        assertEquals(Ipv4Address.parse("172.18.0.3"), e.address());
        p.start("proj-b-1", 2_000);
        assertEquals(Ipv4Address.parse("172.19.0.3"), ep(p.plan(), "proj-b-1", "proj_default").address(),
                "lowest free address again");
        assertNotEquals(oldMac, ep(p.plan(), "proj-b-1", "proj_default").mac(), "a new endpoint gets a new random MAC");
        p.disconnect("proj-a-1", "other");
        assertEquals(1, p.plan().container("proj-a-1").orElseThrow().endpoints().size());
        assertThrows(IllegalArgumentException.class, () -> p.disconnect("proj-a-1", "other"));
        assertThrows(IllegalArgumentException.class, () -> p.connect("proj-c-1", "proj_other", null, null));
    }

    @Test
    void aStartedContainersPortsAreProgrammedAfterTheOthers() {
        DockerProject p = build("services:\n  a: {image: x, ports: ['8080:80']}\n  b: {image: x, ports: ['8081:80']}\n"
                + "  c: {image: x, ports: ['8082:80'], networks: [other]}\nnetworks: {other: {}}\n");
        for (ContainerPlan c : p.plan().containers()) {
            assertEquals(0, c.portsSeq(), "compose up: the plan's order is the rules' order");
        }
        p.stop("proj-a-1", 1_000);
        assertEquals(0, p.plan().container("proj-a-1").orElseThrow().portsSeq(), "a stop programs nothing");
        p.start("proj-a-1", 2_000);
        assertEquals(1, p.plan().container("proj-a-1").orElseThrow().portsSeq());
        assertEquals(List.of("proj-a-1", "proj-b-1", "proj-c-1"), p.plan().containers().stream().map(ContainerPlan::name).toList(),
                "the plan keeps its order; only the rules move");
        // connecting c to another network leaves its ports where they are; b's first network going away moves them
        p.connect("proj-c-1", "proj_default", List.of(), null);
        assertEquals(0, p.plan().container("proj-c-1").orElseThrow().portsSeq());
        p.connect("proj-b-1", "proj_other", List.of(), null);
        p.disconnect("proj-b-1", "default");
        assertEquals(2, p.plan().container("proj-b-1").orElseThrow().portsSeq(), "the mapping moved to eth1's network");
    }

    @Test
    void mountedNginxConfigChangesTheListenPorts(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("netsvc.conf"), "server {\n    listen       9080;\n  # listen 1;\n}\n");
        ComposeFile f = ComposeParser.parse("services:\n  a: {image: nginx}\n  b:\n    image: nginx:latest\n"
                        + "    volumes: ['./netsvc.conf:/etc/nginx/conf.d/default.conf:ro']\n    network_mode: service:a\n",
                "compose.yaml", dir, ComposeParser.Options.defaults());
        ContainerPlan b = ControlPlane.build(f, 1L).plan().containers().get(1);
        assertEquals(List.of("9080/tcp"), b.extensions().get("listen"));
        assertTrue(((java.util.Map<?, ?>) b.extensions().get("files")).containsKey("/etc/nginx/conf.d/default.conf"));
        ComposeFile missing = ComposeParser.parse("services:\n  a:\n    image: nginx\n    volumes: ['./nope.conf:/etc/nginx/conf.d/default.conf']\n",
                "compose.yaml", dir, ComposeParser.Options.defaults());
        assertEquals("compose.yaml:4:15: services.a.volumes[0]: bind source ./nope.conf does not exist (Docker would create "
                + "an empty folder there and the container would fail to start)",
                assertThrows(ComposeException.class, () -> ControlPlane.build(missing, 1L)).getMessage());
    }
}
