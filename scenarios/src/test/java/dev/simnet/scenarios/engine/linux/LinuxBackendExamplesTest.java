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

    // Not listed: article-default — its step 10 expects 127.0.0.11 as an IPv4 socket in ss, but the dns
    // module's SocketDnsServer opens dual-stack sockets ([::ffff:127.0.0.11]:N) unless the JVM started
    // with -Djava.net.preferIPv4Stack=true.
    @ParameterizedTest
    // Not listed either: article-shared — since simengine bbc3b4b its ss step expects nginx_b's own PID
    // namespace (users:(("nginx",pid=1,…)) and no process on nginx_a's :80); the Linux backend starts no PID
    // namespace per container and its servers are threads of this JVM. The differential tests still build
    // and compare article-shared on the kernel (reachability, DNS, addresses, routes, conntrack).
    @ValueSource(strings = {"internal", "lossy-link", "published-ports", "replicas", "two-networks"})
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
