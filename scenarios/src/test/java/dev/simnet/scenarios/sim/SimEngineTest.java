package dev.simnet.scenarios.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.compose.Argv;
import dev.simnet.topology.InternetPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import dev.simnet.topology.InternetPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator engine end to end on a small project: tools' outputs and exit codes, NAT paths, DNS, trace. */
class SimEngineTest {
    static final String COMPOSE = """
            name: t
            services:
              web:
                image: nginx:1.27
                ports: ["8080:80"]
              echo:
                image: traefik/whoami
                ports: ["8081:80"]
                networks: [default, back]
              db:
                image: redis:7
                networks: [back]
              client:
                image: alpine:3.20
                command: sleep infinity
            networks:
              back: {}
            """;

    @TempDir
    static Path dir;
    static Loaded loaded;
    static SimEngine engine;

    @BeforeAll
    static void build() throws IOException {
        Path f = dir.resolve("compose.yaml");
        Files.writeString(f, COMPOSE);
        loaded = Loaded.load(f, null, 42L);
        engine = new SimEngine(42L);
        engine.build(loaded.project().plan());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static ExecResult in(String service, String cmd) {
        return engine.exec(ExecTarget.container(loaded.project().containersOf(service).get(0).name()), Argv.split(cmd));
    }

    @Test
    void curlByServiceNameGetsNginxWelcomePage() {
        ExecResult r = in("client", "curl -s -i web");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.27"), r.stdout());
        assertTrue(r.stdout().contains("Content-Length: 615\r\n"), r.stdout());
        assertTrue(r.stdout().endsWith("</html>\n"));
    }

    @Test
    void curlExitCodesAreCurls() {
        ExecResult unknown = in("client", "curl -sS nosuchname");
        assertEquals(6, unknown.exit());
        assertEquals("curl: (6) Could not resolve host: nosuchname\n", unknown.stderr());
        ExecResult refused = in("client", "curl -s web:81");
        assertEquals(7, refused.exit());
        assertEquals("", refused.stderr(), "-s hides the error");
        // client is not on "back": the host's isolation rules drop the SYN, so only the timeout ends it
        ExecResult isolated = in("client", "curl -sS -m 2 http://" + addressOf("db") + ":6379/");
        assertEquals(28, isolated.exit(), isolated.stderr());
        assertTrue(isolated.stderr().startsWith("curl: (28) Connection timed out after 2"), isolated.stderr());
        ExecResult code = in("client", "curl -s -o /dev/null -w '%{http_code}' web/missing");
        assertEquals("404", code.stdout());
    }

    static String addressOf(String service) {
        return loaded.project().containersOf(service).get(0).endpoints().get(0).address().toString();
    }

    @Test
    void pingPrintsIputilsStatistics() {
        ExecResult r = in("client", "ping -c 3 web");
        assertEquals(0, r.exit(), r.stderr());
        String web = addressOf("web");
        assertTrue(r.stdout().startsWith("PING web (" + web + ") 56(84) bytes of data.\n64 bytes from t-web-1.t_default (" + web
                + "): icmp_seq=1 ttl=64 time="), r.stdout());
        assertTrue(Pattern.compile("^3 packets transmitted, 3 received, 0% packet loss, time \\d+ms$", Pattern.MULTILINE)
                .matcher(r.stdout()).find(), r.stdout());
        assertTrue(r.stdout().contains("\n--- web ping statistics ---\n"));
        ExecResult lost = in("client", "ping -c 2 -W 1 " + addressOf("db"));
        assertEquals(1, lost.exit());
        assertTrue(lost.stdout().contains("2 packets transmitted, 0 received, 100% packet loss"), lost.stdout());
        ExecResult bad = in("client", "ping -c 1 nosuchname");
        assertEquals(2, bad.exit());
        assertEquals("ping: nosuchname: Name or service not known\n", bad.stderr());
    }

    @Test
    void embeddedDnsIsReachedThroughDockersDnat() {
        ExecResult r = in("client", "nslookup web");
        assertEquals(0, r.exit());
        ExecResult ct = in("client", "conntrack -L");
        // the query went to 127.0.0.11:53, was DNATed to the resolver's port, and the answer SNATed back to 53
        Pattern p = Pattern.compile("^udp\\s+17 \\d+ src=127\\.0\\.0\\.1 dst=127\\.0\\.0\\.11 sport=(\\d+) dport=53 "
                + "src=127\\.0\\.0\\.11 dst=127\\.0\\.0\\.1 sport=(\\d+) dport=\\1 ", Pattern.MULTILINE);
        var m = p.matcher(ct.stdout());
        assertTrue(m.find(), ct.stdout());
        assertTrue(Integer.parseInt(m.group(2)) != 53);
        ExecResult nat = in("client", "iptables -t nat -S DOCKER_OUTPUT");
        assertTrue(nat.stdout().contains("-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:"
                + m.group(2)), nat.stdout());
        ExecResult ss = in("client", "ss -ulpn");
        assertTrue(ss.stdout().contains("127.0.0.11:" + m.group(2)), ss.stdout());
    }

    @Test
    void externalNamesAreForwardedToTheUpstream() {
        ExecResult r = in("client", "dig +short www.example.com");
        assertEquals("198.51.100.10\n", r.stdout());
        ExecResult nx = in("client", "nslookup nosuch.example.com");
        assertEquals(1, nx.exit());
        assertTrue(nx.stdout().contains("** server can't find nosuch.example.com: NXDOMAIN"), nx.stdout());
    }

    @Test
    void digOverTcpReverseAndDirectToTheUpstream() {
        ExecResult tcp = in("client", "dig +tcp web");
        assertEquals(0, tcp.exit());
        assertTrue(tcp.stdout().contains(";; SERVER: 127.0.0.11#53(127.0.0.11) (TCP)"), tcp.stdout());
        assertTrue(tcp.stdout().contains("web.\t\t\t600\tIN\tA\t" + addressOf("web")), tcp.stdout());
        ExecResult ptr = in("client", "dig +short -x " + addressOf("web"));
        assertEquals("t-web-1.t_default.\n", ptr.stdout());
        ExecResult direct = in("client", "dig +short @" + InternetPlan.UPSTREAM_DNS + " www.example.com");
        assertEquals("198.51.100.10\n", direct.stdout());
        ExecResult ct = engine.exec(ExecTarget.host(), Argv.split("conntrack -L -p udp"));
        assertTrue(ct.stdout().contains("dst=" + InternetPlan.UPSTREAM_DNS + " sport="), "the direct query was masqueraded: " + ct.stdout());
    }

    @Test
    void theInternetSeesTheMasqueradedHost() {
        ExecResult r = in("client", "curl -s http://" + InternetPlan.WEB_SERVER + "/ip");
        assertEquals("203.0.113.1\n", r.stdout());
    }

    @Test
    void publishedPortFromTheInternetKeepsTheClientAddress() {
        ExecResult r = engine.exec(ExecTarget.internet(), Argv.split("curl -s http://203.0.113.1:8081/"));
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("RemoteAddr: 203.0.113.254:"), r.stdout());
        ExecResult host = engine.exec(ExecTarget.host(), Argv.split("curl -s localhost:8081"));
        assertTrue(host.stdout().contains("RemoteAddr: 172.18.0.1:"), "docker-proxy connects from the gateway: " + host.stdout());
        ExecResult ct = engine.exec(ExecTarget.host(), Argv.split("conntrack -L -p tcp"));
        assertTrue(ct.stdout().contains("src=203.0.113.254 dst=203.0.113.1 sport="), ct.stdout());
        assertTrue(ct.stdout().contains("dport=8081 src=" + addressOf("echo") + " dst=203.0.113.254 sport=80"), ct.stdout());
    }

    @Test
    void ncReachesRedisOnlyFromTheSharedNetwork() {
        ExecResult ok = in("echo", "nc -z -v -w 2 db 6379");
        assertEquals(0, ok.exit(), ok.stderr());
        assertEquals("Connection to db (" + addressOf("db") + ") 6379 port [tcp/redis] succeeded!\n", ok.stderr());
        ExecResult no = in("client", "nc -z -w 2 db 6379");
        assertEquals(1, no.exit());
        assertTrue(no.stderr().contains("getaddrinfo for host \"db\""), no.stderr());
        // netcat-openbsd's connection_info: no "(IP)" for an address, and with -n no service name either
        ExecResult byAddress = in("echo", "nc -zv " + addressOf("db") + " 6379");
        assertEquals("Connection to " + addressOf("db") + " 6379 port [tcp/redis] succeeded!\n", byAddress.stderr());
        ExecResult numeric = in("echo", "nc -zvn " + addressOf("db") + " 6379");
        assertEquals("Connection to " + addressOf("db") + " 6379 port [tcp/*] succeeded!\n", numeric.stderr());
    }

    @Test
    void ncZuFailsSilentlyOnAPortThatRefuses() {
        // udptest: the port unreachable of the first "X" fails a later write; nc exits 1 without a word
        ExecResult closed = in("echo", "nc -zuv " + addressOf("db") + " 5353");
        assertEquals(1, closed.exit(), closed.stderr());
        assertEquals("", closed.stderr());
    }

    @Test
    void unknownCommandsExit127() {
        ExecResult r = in("client", "frobnicate --now");
        assertEquals(127, r.exit());
        assertTrue(r.stderr().contains("\"frobnicate\": executable file not found in $PATH"), r.stderr());
    }

    @Test
    void stateToolsRenderTheNamespace() {
        ExecResult addr = in("echo", "ip -4 addr show eth1");
        assertTrue(addr.stdout().contains("scope global eth1"), addr.stdout());
        assertFalse(addr.stdout().contains("eth0"), addr.stdout());
        ExecResult host = engine.exec(ExecTarget.host(), Argv.split("ss -tlnp"));
        assertTrue(host.stdout().contains("users:((\"docker-proxy\""), host.stdout());
        ExecResult hn = in("web", "hostname");
        assertEquals(loaded.project().containersOf("web").get(0).hostname() + "\n", hn.stdout());
        ExecResult j = in("web", "ip -j addr show eth0");
        Object root = dev.simnet.scenarios.docker.Json.parse(j.stdout());
        assertEquals(addressOf("web"), dev.simnet.scenarios.docker.Json.path(root, "$[0].addr_info[0].local"));
        ExecResult jl = in("web", "ip -j link");
        assertFalse(jl.stdout().contains("addr_info"), jl.stdout());
        assertEquals("lo", dev.simnet.scenarios.docker.Json.path(dev.simnet.scenarios.docker.Json.parse(jl.stdout()), "$[0].ifname"));
        ExecResult nft = engine.exec(ExecTarget.host(), Argv.split("nft list ruleset"));
        assertTrue(nft.stdout().contains("masquerade"), nft.stdout());
    }

    @Test
    void pingBetweenContainersPaysTheVethCrossingDelay() {
        // a fresh engine: the first ping pays ARP (8 crossings), the next ones 4 crossings of 10 µs
        SimEngine e = new SimEngine(42L);
        e.build(loaded.project().plan());
        try {
            String web = addressOf("web");
            ExecTarget client = ExecTarget.container(loaded.project().containersOf("client").get(0).name());
            ExecResult r = e.exec(client, Argv.split("ping -c 2 " + web));
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(r.stdout().contains("icmp_seq=1 ttl=64 time=0.080 ms"), r.stdout());
            assertTrue(r.stdout().contains("icmp_seq=2 ttl=64 time=0.040 ms"), r.stdout());
        } finally {
            e.close();
        }
        SimEngine zero = new SimEngine(42L);
        zero.setCrossingDelayNs(0);
        zero.build(loaded.project().plan());
        try {
            ExecResult r = zero.exec(ExecTarget.container(loaded.project().containersOf("client").get(0).name()),
                    Argv.split("ping -c 1 " + addressOf("web")));
            assertTrue(r.stdout().contains("time=0.000 ms"), r.stdout());
        } finally {
            zero.close();
        }
    }

    @Test
    void neighbourAndFdbToolsPrintIproute2sJson() {
        String web = addressOf("web");
        String webMac = loaded.project().containersOf("web").get(0).endpoints().get(0).mac().toString();
        assertEquals(0, in("client", "ping -c 1 " + web).exit());
        Object neigh = dev.simnet.scenarios.docker.Json.parse(in("client", "ip -j neigh").stdout());
        List<?> entries = (List<?>) neigh;
        java.util.Map<?, ?> e = entries.stream().map(o -> (java.util.Map<?, ?>) o).filter(m -> web.equals(m.get("dst"))).findFirst()
                .orElseThrow(() -> new AssertionError(neigh.toString()));
        assertEquals("eth0", e.get("dev"));
        assertEquals(webMac, e.get("lladdr"));
        assertEquals(List.of("REACHABLE"), e.get("state"));
        String byDev = in("client", "ip -j neigh show dev eth0").stdout();
        assertTrue(byDev.startsWith("[{\"dst\":") && !byDev.contains("\"dev\""), byDev);
        assertEquals(1, in("client", "ip neigh show dev eth9").exit());

        ExecResult fdb = engine.exec(ExecTarget.host(), Argv.split("bridge -j fdb show"));
        assertEquals(0, fdb.exit(), fdb.stderr());
        java.util.Map<?, ?> learned = ((List<?>) dev.simnet.scenarios.docker.Json.parse(fdb.stdout())).stream()
                .map(o -> (java.util.Map<?, ?>) o).filter(m -> webMac.equals(m.get("mac"))).findFirst()
                .orElseThrow(() -> new AssertionError(fdb.stdout()));
        assertTrue(String.valueOf(learned.get("ifname")).startsWith("veth"), learned.toString());
        assertTrue(String.valueOf(learned.get("master")).startsWith("br-"), learned.toString());
        assertEquals("", learned.get("state"));
        assertEquals(List.of(), learned.get("flags"));
        ExecResult text = engine.exec(ExecTarget.host(), Argv.split("bridge fdb show br " + learned.get("master")));
        assertTrue(text.stdout().contains(webMac + " dev " + learned.get("ifname") + " master " + learned.get("master") + " \n"),
                text.stdout());
        assertEquals(255, engine.exec(ExecTarget.host(), Argv.split("bridge fdb show dev nosuch")).exit());
    }

    @Test
    void traceShowsTheWalkHopByHop() {
        List<String> hops = new ArrayList<>();
        ExecResult r = engine.trace(ExecTarget.container(loaded.project().containersOf("client").get(0).name()),
                Argv.split("curl -s -o /dev/null web"), hops::add);
        assertEquals(0, r.exit());
        String all = String.join("\n", hops);
        assertTrue(all.contains("dns: embedded resolver got query"), all);
        assertTrue(all.contains("netfilter nat OUTPUT: -A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp"), all);
        assertTrue(Pattern.compile("bridge: br-[0-9a-f]{12}: [0-9a-f:]{17} (learned on|unknown)").matcher(all).find(), all);
        assertTrue(all.contains("Flags [S]"), all);
    }
}
