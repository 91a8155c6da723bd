package dev.simnet.scenarios.engine.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Main;
import dev.simnet.linux.LinuxBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Example scenarios run by the CLI on the real kernel ({@code simnet run --backend linux}). */
class LinuxBackendExamplesTest {

    // Not listed: article-default — it types the article's host commands verbatim (`sudo lsns | grep`,
    // `sudo nsenter --net=/var/run/docker/netns/KEY netstat`), which the simulator's shell understands but
    // this backend hands to the real binaries (no sudo here, no Docker sandbox paths). The differential
    // tests build and compare article-default on the kernel.
    @ParameterizedTest
    @ValueSource(strings = {"article-shared", "internal", "lossy-link", "published-ports", "replicas", "two-networks"})
    void exampleRunsOnTheKernel(String example) {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        if (example.equals("lossy-link")) {
            String why = LinuxBackend.netemUnavailabilityCause();
            Assumptions.assumeTrue(why == null, why);
        }
        Path file = Path.of("examples", example, "compose.yaml");
        Assumptions.assumeTrue(Files.exists(file), "example missing: " + file);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"run", "--ascii", "--backend", "linux", file.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, "report:\n" + out + "\nerrors:\n" + err);
        assertTrue(out.toString().contains("PASSED"), out.toString());
    }
}
