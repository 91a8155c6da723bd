package dev.simnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimnetHandleTest {
    private SimnetHandle net;

    @BeforeEach
    void start() {
        net = Simnet.topology().project("shop")
                .network("front").internalNetwork("back")
                .service("web", s -> s.image("nginx").network("front", "www").network("back").publish(8080, 80))
                .service("db", s -> s.image("redis").network("back"))
                .service("client", s -> s.image("alpine").network("front"))
                .seed(7).start();
    }

    @AfterEach
    void stop() {
        net.close();
    }

    private Container container(String service) {
        return net.containers().stream().filter(c -> c.service().equals(service)).findFirst().orElseThrow();
    }

    private String addressOn(String service, String networkKey) {
        return container(service).endpoints().stream().filter(e -> e.network().equals("shop_" + networkKey))
                .findFirst().orElseThrow().address();
    }

    @Test
    void execRunsTheCommandInTheContainerAndReturnsItsOutput() {
        ExecResult r = net.exec("client", "curl", "-s", "http://www/");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("Welcome to nginx"), r.stdout());
        ExecResult unknown = net.exec("client", "frobnicate");
        assertEquals(127, unknown.exitCode());
        assertThrows(SimnetException.class, () -> net.exec("nosuch", "true"));
    }

    @Test
    void resolveAnswersAsTheContainerWould() {
        Resolution www = net.resolve("client", "www");
        assertEquals(Resolution.Status.NOERROR, www.status());
        assertEquals(List.of(addressOn("web", "front")), www.addresses());
        assertEquals("NOERROR", www.rcode());
        // db is only on the internal network: the client (front only) cannot see it
        Resolution db = net.resolve("client", "db");
        assertFalse(db.found(), db.toString());
        assertEquals("NXDOMAIN", db.rcode());
        // from web (on both networks), db resolves to its back address
        assertEquals(List.of(addressOn("db", "back")), net.resolve("web", "db").addresses());
        assertEquals(4, net.resolve("web", "db").inetAddresses().get(0).getAddress().length);
    }

    @Test
    void tcpFlowCarriesBytesBothWays() {
        try (TcpFlow f = net.connect("client", "web", 80)) {
            assertTrue(f.remoteEndpoint().startsWith(addressOn("web", "front") + ":80"), f.remoteEndpoint());
            f.write("GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n");
            String reply = f.readAll(Duration.ofSeconds(5));
            assertTrue(reply.startsWith("HTTP/1.1 200 OK"), reply);
            assertTrue(f.isPeerClosed());
        }
        FlowException refused = assertThrows(FlowException.class, () -> net.connect("client", "web", 81));
        assertEquals("ECONNREFUSED", refused.errno());
        FlowException noName = assertThrows(FlowException.class, () -> net.connect("client", "db", 6379));
        assertEquals("EAI_NONAME", noName.errno());
    }

    @Test
    void udpFlowCarriesADnsQueryToTheEmbeddedResolver() {
        // a hand-built query for "www" A, id 0x1234, RD set
        byte[] q = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 0, 0, 1, 0, 1};
        try (UdpFlow u = net.udp("client", "127.0.0.11", 53)) {
            u.send(q);
            Datagram d = u.receive(Duration.ofSeconds(2)).orElseThrow();
            byte[] a = d.payload();
            assertEquals("127.0.0.11", d.source());
            assertEquals(53, d.sourcePort());
            assertEquals(0x12, a[0]);
            assertEquals(0x34, a[1]);
            assertEquals(0, a[3] & 0x0f, "rcode NOERROR");
            assertEquals(1, ((a[6] & 0xff) << 8) | (a[7] & 0xff), "one answer");
            String web = addressOn("web", "front");
            byte[] rdata = java.util.Arrays.copyOfRange(a, a.length - 4, a.length);
            assertEquals(web, (rdata[0] & 0xff) + "." + (rdata[1] & 0xff) + "." + (rdata[2] & 0xff) + "." + (rdata[3] & 0xff));
            assertEquals(Optional.empty(), u.receive(Duration.ofSeconds(1)));
        }
    }

    @Test
    void udpFlowToAClosedPortReportsTheIcmpError() {
        try (UdpFlow u = net.udp("client", "www", 9999)) {
            u.send("hello");
            FlowException e = assertThrows(FlowException.class, () -> u.receive(Duration.ofSeconds(1)));
            assertEquals("ECONNREFUSED", e.errno());
        }
    }

    @Test
    void stateIsTypedAndMatchesTheControlPlane() {
        NamespaceState s = net.state(Target.service("web"));
        List<String> cidrs = s.addresses().stream().map(Address::cidr).collect(Collectors.toList());
        assertTrue(cidrs.contains("127.0.0.1/8"), cidrs.toString());
        for (Endpoint e : container("web").endpoints()) {
            assertTrue(cidrs.contains(e.address() + "/" + e.prefixLength()), cidrs + " lacks " + e);
        }
        Route dflt = net.routes("web").stream().filter(Route::isDefault).findFirst().orElseThrow();
        String frontGw = net.networks().stream().filter(n -> n.key().equals("front")).findFirst().orElseThrow().gateway();
        assertEquals(frontGw, dflt.gateway());
        // the client talked to web: both ARP caches hold each other
        net.exec("client", "ping", "-c", "1", "www");
        assertTrue(net.neighbours("client").stream().anyMatch(n -> n.address().equals(addressOn("web", "front"))
                && n.mac() != null), net.neighbours("client").toString());
        String webMac = container("web").endpoints().get(0).mac();
        assertTrue(net.bridgeFdb().stream().anyMatch(f -> f.mac().equals(webMac) && !f.permanent()), net.bridgeFdb().toString());
    }

    @Test
    void publishedPortLeavesConntrackAndRuleCounters() {
        long before = dnatPackets();
        ExecResult r = net.execOnHost("curl", "-s", "http://203.0.113.1:8080/");
        assertEquals(0, r.exitCode(), r.output());
        List<ConntrackEntry> ct = net.conntrack();
        assertTrue(ct.stream().anyMatch(e -> e.protocol().equals("tcp") && e.original().destinationPort() == 8080
                && e.destinationNat() && e.reply().source().equals(addressOn("web", "front"))), ct.toString());
        assertTrue(dnatPackets() > before, net.ruleCounters().toString());
    }

    private long dnatPackets() {
        return net.ruleCounters().stream().filter(c -> c.table().equals("nat") && c.chain().equals("DOCKER")
                && c.rule().contains("--dport 8080")).mapToLong(RuleCounter::packets).sum();
    }

    @Test
    void timeAdvancesOnlyWhenAsked() {
        Duration t0 = net.now();
        net.advance(Duration.ofSeconds(30));
        assertEquals(t0.plusSeconds(30), net.now());
        assertThrows(IllegalArgumentException.class, () -> net.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void stopStartConnectDisconnect() {
        net.stop("web");
        assertFalse(container("web").running());
        assertNotEquals(0, net.exec("client", "curl", "-s", "-m", "2", "http://www/").exitCode());
        net.start("web");
        assertEquals(0, net.exec("client", "curl", "-s", "http://www/").exitCode());
        net.connect("client", "back");
        assertTrue(net.resolve("client", "db").found());
        net.disconnect("client", "back");
        assertFalse(net.resolve("client", "db").found());
        assertThrows(SimnetException.class, () -> net.disconnect("client", "back"));
    }

    @Test
    void impairmentDelaysPackets() {
        ExecResult fast = net.exec("client", "ping", "-c", "1", "www");
        net.impair(Impairment.on("web", "front").withDelay(Duration.ofMillis(100)));
        ExecResult slow = net.exec("client", "ping", "-c", "1", "www");
        assertTrue(fast.stdout().contains("time=0.") || fast.stdout().contains("time=1."), fast.stdout());
        assertTrue(slow.stdout().matches("(?s).*time=(1\\d\\d|2\\d\\d)(\\.\\d+)? ms.*"), slow.stdout());
        net.clearImpairment("web", "front");
        assertFalse(net.exec("client", "ping", "-c", "1", "www").stdout().contains("time=100"));
    }

    @Test
    void captureWritesPcapFiles(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), net.captureDirectory());
        net.capture(dir);
        net.exec("client", "ping", "-c", "1", "www");
        net.close();
        try (var files = Files.list(dir)) {
            List<Path> pcaps = files.filter(p -> p.toString().endsWith(".pcap")).collect(Collectors.toList());
            assertFalse(pcaps.isEmpty());
            for (Path p : pcaps) {
                byte[] b = Files.readAllBytes(p);
                assertTrue(b.length >= 24, p.toString());
            }
            assertTrue(pcaps.stream().mapToLong(p -> p.toFile().length()).max().orElse(0) > 24 + 16 + 98);
        }
        assertEquals(Optional.of(dir), net.captureDirectory());
    }

    @Test
    void closedHandleRefusesWork() {
        net.close();
        net.close();
        assertThrows(IllegalStateException.class, () -> net.exec("client", "true"));
    }

    @Test
    void transcriptRecordsCommandsAndOutput() {
        net.exec("client", "echo", "marker-42");
        String t = String.join("\n", net.transcript());
        assertTrue(t.contains("exec [shop-client-1] echo marker-42 → exit 0"), t);
        assertTrue(t.contains("marker-42"), t);
    }

    @Test
    void sameSeedSameResult() {
        String a = net.exec("client", "ip", "-j", "link").stdout();
        try (SimnetHandle again = Simnet.of(Topology.builder().project("shop").network("front").internalNetwork("back")
                .service("web", s -> s.image("nginx").network("front", "www").network("back").publish(8080, 80))
                .service("db", s -> s.image("redis").network("back"))
                .service("client", s -> s.image("alpine").network("front")).build()).seed(7).start()) {
            assertEquals(a, again.exec("client", "ip", "-j", "link").stdout());
            assertEquals(7, again.seed());
        }
    }

    @Test
    void badComposeTextGivesALocatedError() {
        SimnetException e = assertThrows(SimnetException.class, () -> Simnet.fromYaml("services:\n  a:\n    ports: [\"x\"]\n").start());
        assertTrue(e.getMessage().matches("(?s).*:\\d+:\\d+.*"), e.getMessage());
        assertThrows(SimnetException.class, () -> Simnet.load(Path.of("does/not/exist.yaml")).start());
    }

    @Test
    void runStepsRunsTheFilesScenarioLikeSimnetRun() {
        StepsReport r = Simnet.load(Path.of("../scenarios/examples/article-default/compose.yaml")).runSteps();
        assertTrue(r.passed(), r.text());
        assertTrue(r.expectations() > 5, r.text());
        assertEquals(0, r.failures());
        assertTrue(r.text().contains("PASSED"), r.text());
    }

    @Test
    void unavailableBackendNamesTheCause() {
        assertEquals(Optional.empty(), Simnet.unavailabilityCause(Backend.SIM));
        for (Backend b : List.of(Backend.LINUX, Backend.TAP)) {
            Optional<String> cause = Simnet.unavailabilityCause(b);
            if (cause.isPresent()) {
                // where the machine lacks it, start() fails with the same cause
                BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                        () -> Simnet.fromYaml("services:\n  a:\n    image: alpine\n").backend(b).start());
                assertEquals(b, e.backend());
                assertFalse(e.cause().isBlank());
                assertEquals(cause, Optional.of(e.cause()));
            }
            // where it is available, KernelBackendTest starts it
        }
    }
}
