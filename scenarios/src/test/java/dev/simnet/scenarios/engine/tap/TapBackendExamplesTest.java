package dev.simnet.scenarios.engine.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Main;
import dev.simnet.tap.TapBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Example scenarios run by the CLI with real programs over simnet's datapath ({@code simnet run --backend tap}). */
class TapBackendExamplesTest {

    // The Docker host is simnet's engine here: host steps (curl localhost:PORT, iptables -S, conntrack -L, ss) run the
    // simulator's tools on the engine's loop, lsns and nsenter the real ones on the real container namespaces;
    // article-default's 'ip link' step checks the TAP's own truth (expect_on: tap).
    @ParameterizedTest
    @ValueSource(strings = {"connect", "lossy-link", "replicas", "two-networks", "article-default", "article-shared", "internal",
        "published-ports", "no-userland-proxy"})
    void exampleRunsOnTheTapBackend(String example) {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        Path file = Path.of("examples", example, "compose.yaml");
        Assumptions.assumeTrue(Files.exists(file), "example missing: " + file);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"run", "--ascii", "--backend", "tap", file.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, "report:\n" + out + "\nerrors:\n" + err);
        assertTrue(out.toString().contains("PASSED"), out.toString());
    }
}
