package dev.simnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The library API on the real-kernel backends: a small compose project started on
 * {@link Backend#LINUX} (and {@link Backend#TAP}), a command run in a container, a name resolved,
 * a TCP flow to nginx and a UDP flow to the embedded DNS on real sockets in the client's namespace,
 * the typed state read through the namespaces' own tools ({@code ip -j}, {@code bridge -j fdb},
 * {@code conntrack -L}), and every namespace of the run gone once the handle is closed. Skipped
 * where the machine lacks the backend (the cause is the skip message).
 */
class KernelBackendTest {
    private static final String COMPOSE = """
            name: kapi
            services:
              web:
                image: nginx
                ports: ["8080:80"]
              client:
                image: alpine
            """;

    /** The inode of the network namespace {@code t}'s commands run in ({@code net:[4026532…]}). */
    private static long netnsInode(SimnetHandle net, Target t) {
        ExecResult r = net.exec(t, "readlink", "/proc/self/ns/net");
        assertEquals(0, r.exitCode(), r.output());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("net:\\[(\\d+)]").matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        return Long.parseLong(m.group(1));
    }

    private static long inodeOfNsLink(Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("net:[") ? Long.parseLong(target.substring(5, target.length() - 1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // a process or fd that went away meanwhile
        }
    }

    /**
     * Every holder of a network namespace that keeps it alive, with its inode: a name in
     * {@code ip netns list} (/run/netns), a process's {@code /proc/PID/ns/net}, a file descriptor of
     * this JVM (the backend's setns threads hold namespace fds).
     */
    private static java.util.Map<String, Long> namespaceHolders() throws IOException {
        java.util.Map<String, Long> held = new java.util.TreeMap<>();
        Path runNetns = Path.of("/run/netns");
        if (Files.isDirectory(runNetns)) {
            try (var s = Files.list(runNetns)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    try {
                        held.put("ip netns " + p.getFileName(), ((Number) Files.getAttribute(p, "unix:ino")).longValue());
                    } catch (IOException e) {
                        // removed meanwhile
                    }
                }
            }
        }
        try (var s = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().matches("\\d+")) {
                    long ino = inodeOfNsLink(p.resolve("ns/net"));
                    if (ino > 0) {
                        held.put("process " + p.getFileName(), ino);
                    }
                }
            }
        }
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                long ino = inodeOfNsLink(p);
                if (ino > 0) {
                    held.put("this JVM's fd " + p.getFileName(), ino);
                }
            }
        }
        return held;
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"LINUX", "TAP"})
    void execResolveTypedStateAndCloseRemovesEveryNamespace(Backend backend) throws IOException {
        java.util.Optional<String> cause = Simnet.unavailabilityCause(backend);
        Assumptions.assumeTrue(cause.isEmpty(), () -> backend.id() + " backend unavailable: " + cause.orElse(""));
        List<Long> ours = new ArrayList<>();
        SimnetHandle net = Simnet.fromYaml(COMPOSE).backend(backend).seed(11).start();
        try {
            assertEquals(backend, net.backend());
            // on TAP the Docker host is the simulator's (its commands are rendered from the engine): containers only
            List<Target> real = backend == Backend.LINUX ? List.of(Target.service("web"), Target.service("client"), Target.host())
                    : List.of(Target.service("web"), Target.service("client"));
            for (Target t : real) {
                ours.add(netnsInode(net, t));
            }
            assertEquals(real.size(), ours.stream().distinct().count(), ours.toString());
            assertTrue(namespaceHolders().values().containsAll(ours), "while running, the run's namespaces are held: " + ours);

            ExecResult curl = net.exec("client", "curl", "-s", "-m", "10", "http://web/");
            assertEquals(0, curl.exitCode(), curl.output());
            assertTrue(curl.stdout().contains("Welcome to nginx"), curl.stdout());

            String webAddress = net.containers().stream().filter(c -> c.service().equals("web")).findFirst().orElseThrow()
                    .endpoints().get(0).address();
            Resolution web = net.resolve("client", "web");
            assertEquals(Resolution.Status.NOERROR, web.status(), web.toString());
            assertEquals(List.of(webAddress), web.addresses());
            // (the kernel backends' upstream DNS is authoritative for example.test only and REFUSEs other names, so
            // the embedded resolver answers SERVFAIL where the simulator's upstream says NXDOMAIN)
            Resolution none = net.resolve("client", "nosuchname");
            assertFalse(none.found(), none.toString());
            assertTrue(none.status() != Resolution.Status.TIMEOUT, none.toString());

            // a TCP flow: a real socket in the client's namespace, talking to web's nginx
            String clientAddress = net.containers().stream().filter(c -> c.service().equals("client")).findFirst().orElseThrow()
                    .endpoints().get(0).address();
            try (TcpFlow tcp = net.connect("client", "web", 80)) {
                assertEquals(webAddress + ":80", tcp.remoteEndpoint());
                assertTrue(tcp.localEndpoint().startsWith(clientAddress + ":"), tcp.localEndpoint());
                tcp.write("GET / HTTP/1.0\r\n\r\n");
                String page = tcp.readAll(Duration.ofSeconds(10));
                assertTrue(page.matches("(?s)HTTP/1\\.[01] 200 .*"), page);
                assertTrue(page.contains("Welcome to nginx"), page);
                assertTrue(tcp.isPeerClosed(), "an HTTP/1.0 answer ends with the server's FIN");
            }
            FlowException refused = assertThrows(FlowException.class, () -> net.connect("client", webAddress, 81));
            assertEquals("ECONNREFUSED", refused.errno(), refused.getMessage());

            // a UDP flow to the embedded DNS: a hand-built query for "web" A, id 0x5a17, RD set
            byte[] q = {0x5a, 0x17, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'e', 'b', 0, 0, 1, 0, 1};
            try (UdpFlow udp = net.udp("client", "127.0.0.11", 53)) {
                assertTrue(udp.localEndpoint().startsWith("127.0.0.1:"), udp.localEndpoint());
                udp.send(q);
                Datagram d = udp.receive(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no DNS answer"));
                byte[] a = d.payload();
                assertEquals("127.0.0.11", d.source());
                assertEquals(53, d.sourcePort());
                assertEquals(0x5a, a[0] & 0xff, "same id");
                assertEquals(0x17, a[1] & 0xff, "same id");
                assertTrue((a[2] & 0x80) != 0, "a response");
                assertEquals(0, a[3] & 0x0f, "rcode NOERROR");
                assertEquals(1, ((a[6] & 0xff) << 8) | (a[7] & 0xff), "one answer");
                byte[] rdata = java.util.Arrays.copyOfRange(a, a.length - 4, a.length);
                assertEquals(webAddress, (rdata[0] & 0xff) + "." + (rdata[1] & 0xff) + "." + (rdata[2] & 0xff) + "." + (rdata[3] & 0xff));
            }

            NamespaceState client = net.state(Target.service("client"));
            assertTrue(client.addresses().stream().anyMatch(a -> a.ifname().equals("eth0") && a.prefixLength() == 16
                    && a.scope().equals("global")), client.addresses().toString());
            assertTrue(client.addresses().stream().anyMatch(a -> a.ifname().equals("lo") && a.address().equals("127.0.0.1")),
                    client.addresses().toString());
            Route dflt = client.routes().stream().filter(r -> r.destination().equals("default")).findFirst()
                    .orElseThrow(() -> new AssertionError(client.routes().toString()));
            assertEquals("eth0", dflt.device());
            assertNotNull(dflt.gateway());
            // the client just talked to web: its ARP cache holds web's MAC
            String webMac = net.containers().stream().filter(c -> c.service().equals("web")).findFirst().orElseThrow()
                    .endpoints().get(0).mac();
            assertTrue(client.neighbours().stream().anyMatch(n -> n.address().equals(webAddress) && webMac.equals(n.mac())),
                    client.neighbours().toString());

            NamespaceState host = net.state(Target.host());
            assertTrue(host.fdb().stream().anyMatch(f -> f.mac().equals(webMac) && !f.permanent()), host.fdb().toString());
            // the embedded resolver forwarded 'nosuchname' upstream through the host: masqueraded, tracked
            assertTrue(host.conntrack().stream().anyMatch(c -> c.protocol().equals("udp") && c.original().destinationPort() == 53
                    && c.original().destination().equals("203.0.113.53") && c.sourceNat()), host.conntrack().toString());
            // the published port from the host (on TAP the host is the engine: the simulator's curl, its docker-proxy)
            ExecResult published = net.execOnHost("curl", "-s", "-m", "10", "http://127.0.0.1:8080/");
            assertEquals(0, published.exitCode(), published.output());
            assertTrue(published.stdout().contains("Welcome to nginx"), published.stdout());
            assertTrue(net.state(Target.host()).conntrack().stream()
                    .anyMatch(c -> c.protocol().equals("tcp") && c.original().destinationPort() == 8080), host.conntrack().toString());
            if (backend == Backend.LINUX) {

                // a published-port request from the internet goes through Docker's DNAT rule: its counter moves
                String hostPublic = dev.simnet.topology.InternetPlan.HOST_PUBLIC_ADDRESS.toString();
                ExecResult fromInternet = net.exec(Target.internet(), "curl", "-s", "-m", "10", "http://" + hostPublic + ":8080/");
                assertEquals(0, fromInternet.exitCode(), fromInternet.output());
                assertTrue(fromInternet.stdout().contains("Welcome to nginx"), fromInternet.stdout());
                List<RuleCounter> counters = net.ruleCounters();
                RuleCounter dnat = counters.stream().filter(r -> r.table().equals("nat") && r.chain().equals("DOCKER")
                        && r.rule().contains("--dport 8080") && r.rule().contains("-j DNAT")).findFirst()
                        .orElseThrow(() -> new AssertionError(counters.toString()));
                assertTrue(dnat.packets() > 0, dnat.toString());
                assertTrue(dnat.bytes() > 0, dnat.toString());
                // the same (table, chain, rule) set as the simulator's for the same compose file, chain policies included
                java.util.Set<List<String>> kernelRules = new java.util.LinkedHashSet<>();
                counters.forEach(r -> kernelRules.add(List.of(r.table(), r.chain(), r.rule())));
                java.util.Set<List<String>> simRules = new java.util.LinkedHashSet<>();
                try (SimnetHandle sim = Simnet.fromYaml(COMPOSE).backend(Backend.SIM).seed(11).start()) {
                    sim.ruleCounters().forEach(r -> simRules.add(List.of(r.table(), r.chain(), r.rule())));
                }
                assertFalse(simRules.isEmpty());
                assertTrue(simRules.contains(List.of("filter", "FORWARD", "policy DROP")), simRules.toString());
                assertEquals(simRules, kernelRules);
            }
        } finally {
            net.close();
        }
        java.util.Map<String, Long> after = namespaceHolders();
        for (var e : after.entrySet()) {
            assertFalse(ours.contains(e.getValue()), "closed, yet " + e.getKey() + " still holds namespace net:[" + e.getValue() + "]");
        }
    }
}
