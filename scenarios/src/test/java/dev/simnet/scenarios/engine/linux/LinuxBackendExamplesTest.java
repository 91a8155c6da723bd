package dev.simnet.scenarios.engine.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Main;
import dev.simnet.linux.LinuxBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Example scenarios run by the CLI on the real kernel ({@code simnet run --backend linux}). */
class LinuxBackendExamplesTest {

    @ParameterizedTest
    // article-default's netstat step expects `PID/nginx` owning 0.0.0.0:80: the nginx model's listening
    // socket belongs to its relay process named as nginx's master (TcpRelayProcess), not to this JVM.
    // connect: docker network connect/disconnect steps on the kernel. no-userland-proxy: its
    // `iptables -t nat -S DOCKER` step reads the rules the host loaded with iptables-restore (iptables-nft).
    // Not listed: library-example (an API example, no compose steps of its own).
    @ValueSource(strings = {"article-default", "article-shared", "connect", "internal", "lossy-link", "no-userland-proxy",
        "published-ports", "replicas", "two-networks"})
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

    /** The article's host commands typed verbatim: sudo, a grep pipeline, nsenter into a sandbox key. */
    @Test
    void articleHostCommandsOnTheKernel() {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        String file = Path.of("examples", "article-default", "compose.yaml").toString();
        String[] lsns = cli("exec", "--backend", "linux", "--host", file, "--", "sudo", "lsns", "-t", "net", "|", "grep", "nginx_b");
        assertEquals("0", lsns[0], lsns[2]);
        assertTrue(lsns[1].contains("linuxnetworks-nginx_b-1") && lsns[1].contains("nginx: master process"), lsns[1]);
        assertFalse(lsns[1].contains("nginx_a") || lsns[1].contains("NETNSID"), lsns[1]);

        String key = cli("exec", "--host", file, "--", "docker", "inspect", "linuxnetworks-nginx_b-1",
                "-f", "{{.NetworkSettings.SandboxKey}}")[1].trim();
        assertTrue(key.startsWith("/var/run/docker/netns/"), key);
        String[] netstat = cli("exec", "--backend", "linux", "--host", file, "--", "sudo", "nsenter", "--net=" + key, "netstat", "-tuln");
        assertEquals("0", netstat[0], netstat[2]);
        assertTrue(netstat[1].matches("(?s).*\\ntcp\\s+0\\s+0 0\\.0\\.0\\.0:80\\s+0\\.0\\.0\\.0:\\*\\s+LISTEN.*"), netstat[1]);
        assertTrue(netstat[1].contains("127.0.0.11:"), netstat[1]);

        String[] wrong = cli("exec", "--backend", "linux", "--host", file, "--", "nsenter", "--net=/run/docker/netns/000000000000", "true");
        assertEquals("1", wrong[0], wrong[1]);
        assertTrue(wrong[2].contains("nsenter: cannot open /run/docker/netns/000000000000"), wrong[2]);
    }

    private static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
