package dev.simnet.scenarios.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.steps.ScenarioRunner;
import dev.simnet.tap.TapBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docker compose stop} of a container with a published port takes the port away as Docker
 * does — its docker-proxy ends and its DNAT, filter ACCEPT and raw DROP rules are deleted, so
 * {@code curl localhost:PORT} on the host is refused — and {@code start} brings it back, its rules
 * now after those of the containers that kept running (Docker appends them when the container
 * starts). The same on every backend: the simulator, real namespaces, and TAP.
 */
class PublishedPortStopStartTest {
    private static final String COMPOSE = """
            name: stopports
            services:
              web:
                image: nginx:1.27
                ports: ["8080:80"]
              who:
                image: traefik/whoami
                ports: ["8081:80"]
            """;

    private static ExecResult host(DockerProject p, ScenarioEngine e, String... argv) {
        return ScenarioRunner.exec(p, e, ExecTarget.host(), List.of(argv));
    }

    private static void assumeBackend(String backend) {
        if (backend.equals("linux")) {
            Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        } else if (backend.equals("tap")) {
            Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        }
    }

    private static void assertAnswers(DockerProject p, ScenarioEngine e, String when) {
        ExecResult curl = host(p, e, "curl", "-sS", "-m", "10", "localhost:8080");
        assertEquals(0, curl.exit(), when + ": " + curl.stdout() + curl.stderr());
        assertTrue(curl.stdout().contains("<h1>Welcome to nginx!</h1>"), when + ": " + curl.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sim", "linux", "tap"})
    void aStoppedContainersPublishedPortIsRefusedAndComesBackOnStart(String backend, @TempDir Path dir) throws Exception {
        assumeBackend(backend);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, COMPOSE);
        DockerProject p = Loaded.load(file, null, null).project();
        try (ScenarioEngine e = ScenarioEngineProvider.find(backend).orElseThrow().create(p.options().seed())) {
            e.build(p.plan());
            assertAnswers(p, e, "before stop");
            String before = host(p, e, "iptables", "-t", "nat", "-S", "DOCKER").stdout();
            assertTrue(before.indexOf("--dport 8080 -j DNAT") >= 0
                    && before.indexOf("--dport 8080 -j DNAT") < before.indexOf("--dport 8081 -j DNAT"), before);

            ScenarioRunner.stop(p, e, "web", 0);
            // no docker-proxy on 8080 and no DNAT: the host's own stack answers RST, as on Docker
            ExecResult refused = host(p, e, "curl", "-sS", "-m", "10", "localhost:8080");
            assertEquals(7, refused.exit(), refused.stdout() + refused.stderr());
            assertTrue(refused.stderr().startsWith("curl: (7) Failed to connect to localhost port 8080 after ")
                    && refused.stderr().strip().endsWith(" ms: Couldn't connect to server"), refused.stderr());
            ExecResult nat = host(p, e, "iptables", "-t", "nat", "-S", "DOCKER");
            assertEquals(0, nat.exit(), nat.stderr());
            assertFalse(nat.stdout().contains("--dport 8080"), nat.stdout());
            assertTrue(nat.stdout().contains("--dport 8081 -j DNAT"), "the running container keeps its port\n" + nat.stdout());
            String filter = host(p, e, "iptables", "-S", "DOCKER").stdout() + host(p, e, "iptables", "-t", "raw", "-S").stdout();
            String webAddress = p.stoppedEndpoints("stopports-web-1").get(0).address().toString();
            assertFalse(filter.contains("-d " + webAddress + "/32"), filter);
            ExecResult other = host(p, e, "curl", "-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", "localhost:8081");
            assertEquals("200", other.stdout().strip(), other.stderr());

            ScenarioRunner.start(p, e, "web", 0);
            assertAnswers(p, e, "after start");
            String after = host(p, e, "iptables", "-t", "nat", "-S", "DOCKER").stdout();
            assertTrue(after.indexOf("--dport 8080 -j DNAT") > after.indexOf("--dport 8081 -j DNAT"),
                    "a restarted container's DNAT is appended after the others'\n" + after);
        }
    }
}
