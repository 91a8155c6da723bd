package dev.simnet.scenarios.engine.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.cli.Main;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;
import dev.simnet.scenarios.steps.ScenarioRunner;
import dev.simnet.tap.TapBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The TAP backend's Docker host shell: the host is simnet's engine, so its commands are the
 * simulator's tools run on the engine's loop in wall-clock time — state commands read the engine,
 * network tools ({@code curl}, {@code ping}, {@code dig}, {@code nc}) send through the simulated host
 * stack and the TAPs to the real container kernels and the real internet namespace — while
 * {@code lsns} and {@code nsenter} act on the real container namespaces.
 */
class TapHostCommandsTest {
    private static final Path FILE = Path.of("examples", "replicas", "compose.yaml");
    private static final Path ARTICLE = Path.of("examples", "article-default", "compose.yaml");

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> a = new ArrayList<>(List.of("exec", "--backend", "tap"));
        a.addAll(List.of(args));
        int code = Main.run(a.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static ExecResult host(DockerProject p, ScenarioEngine e, String... argv) {
        return ScenarioRunner.exec(p, e, ExecTarget.host(), List.of(argv));
    }

    @Test
    void theSimulatedHostRunsTheSimulatorsToolsAgainstRealContainers() {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        DockerProject p = Loaded.load(ARTICLE, null, null).project();
        try (ScenarioEngine e = ScenarioEngineProvider.find("tap").orElseThrow().create(p.options().seed())) {
            e.build(p.plan());
            ExecResult route = host(p, e, "ip", "route");
            assertEquals(0, route.exit(), route.stderr());
            assertTrue(route.stdout().contains("default via 203.0.113.254 dev eth0"), route.stdout());
            assertTrue(route.stdout().matches("(?s).*172\\.18\\.0\\.0/16 dev br-[0-9a-f]{12} proto kernel scope link src 172\\.18\\.0\\.1.*"),
                    route.stdout());
            ExecResult rules = host(p, e, "sudo", "iptables", "-t", "nat", "-S", "POSTROUTING");
            assertEquals(0, rules.exit(), rules.stderr());
            assertTrue(rules.stdout().contains("-A POSTROUTING -s 172.18.0.0/16 ! -o br-"), rules.stdout());
            assertTrue(rules.stdout().contains("-j MASQUERADE"), rules.stdout());

            // nginx_b's real server in its real namespace, reached from the simulated host over its TAP
            ExecResult curl = host(p, e, "curl", "-s", "-m", "5", "http://172.18.0.3/");
            assertEquals(0, curl.exit(), curl.stdout() + curl.stderr());
            assertTrue(curl.stdout().contains("Welcome to nginx!"), curl.stdout());
            // nginx_a's published port through the simulated docker-proxy on the host's loopback
            ExecResult published = host(p, e, "curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}", "localhost:8080");
            assertEquals(0, published.exit(), published.stdout() + published.stderr());
            assertEquals("200 127.0.0.1", published.stdout().strip());
            ExecResult ping = host(p, e, "ping", "-c", "1", "-W", "2", "172.18.0.2");
            assertEquals(0, ping.exit(), ping.stdout() + ping.stderr());
            assertTrue(ping.stdout().contains("1 packets transmitted, 1 received"), ping.stdout());
            ExecResult closed = host(p, e, "nc", "-z", "-w", "2", "172.18.0.2", "81");
            assertEquals(1, closed.exit(), "nothing listens on 81: the real kernel answers RST\n" + closed.stderr());
            // the host's resolver is the real internet namespace's DNS server, through the uplink TAP and the host's routes
            ExecResult dig = host(p, e, "dig", "+short", "www.example.test");
            assertEquals(0, dig.exit(), dig.stdout() + dig.stderr());
            assertTrue(dig.stdout().matches("(?s)\\d+\\.\\d+\\.\\d+\\.\\d+\\s*"), dig.stdout());
            // and what that traffic left in the engine's conntrack
            ExecResult ct = host(p, e, "conntrack", "-L", "-p", "icmp");
            assertEquals(0, ct.exit(), ct.stderr());
            assertTrue(ct.stdout().contains("src=172.18.0.1 dst=172.18.0.2 type=8 code=0"), ct.stdout());

            // a pipeline, and the real namespaces of this run seen by the real lsns (one per container)
            ExecResult lsns = host(p, e, "sudo", "lsns", "-t", "net", "|", "grep", "nginx: master");
            assertEquals(0, lsns.exit(), lsns.stderr());
            assertEquals(2, lsns.stdout().lines().filter(l -> l.matches(".* /run/netns/sn-\\w+-c-linuxnetworks-nginx_[ab]-1 .*")).count(),
                    lsns.stdout());
            // nsenter into a container's real namespace by its Docker sandbox key, with the real ip
            String key = p.info("linuxnetworks-nginx_b-1").orElseThrow().sandboxKey();
            ExecResult nsenter = host(p, e, "sudo", "nsenter", "--net=" + key, "ip", "-4", "-o", "addr", "show", "eth0");
            assertEquals(0, nsenter.exit(), nsenter.stderr());
            assertTrue(nsenter.stdout().contains("inet 172.18.0.3/16"), nsenter.stdout());

            ExecResult missing = host(p, e, "ps", "aux");
            assertEquals(127, missing.exit());
            assertTrue(missing.stderr().contains("ps: not found") && missing.stderr().contains("simulated"), missing.stderr());
        }
    }

    @Test
    void containersRunRealToolsThroughTheCli() {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        // inside a container: the real iproute2 shows the TAP, born there as eth0
        String[] link = run(FILE.toString(), "web", "--", "ip", "-d", "link", "show", "eth0");
        assertEquals("0", link[0], link[1] + link[2]);
        assertTrue(link[1].contains("eth0:") && link[1].contains("tun type tap"), link[1]);
    }
}
