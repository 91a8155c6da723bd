package dev.simnet.scenarios.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.steps.ReportPrinter;
import dev.simnet.scenarios.steps.ScenarioRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed ⇒ byte-identical merged capture and identical report; another seed ⇒ other MACs. */
class DeterminismTest {
    static final Path ARTICLE = ExamplesTest.examplesDir().resolve("article-default/compose.yaml");

    record Run(String report, byte[] pcap, String ipLink) {
    }

    static Run run(long seed, Path pcapDir) throws IOException {
        Loaded l = Loaded.load(ARTICLE, null, seed);
        try (SimEngine engine = new SimEngine(l.project().options().seed())) {
            engine.capture(pcapDir);
            ScenarioRunner.Report report = ScenarioRunner.run(l.project(), l.spec(), engine, "sim", null);
            ReportPrinter p = new ReportPrinter(true);
            StringBuilder sb = new StringBuilder();
            for (ScenarioRunner.StepResult r : report.steps()) {
                sb.append(p.step(r, report.steps().size()));
            }
            sb.append(p.summary(report, engine.now()));
            String link = engine.exec(ExecTarget.container(l.project().containersOf("nginx_b").get(0).name()),
                    Argv.split("ip link show eth0")).stdout();
            engine.close();
            return new Run(sb.toString(), Files.readAllBytes(pcapDir.resolve("simnet-all.pcap")), link);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherMacs(@TempDir Path tmp) throws Exception {
        Run a = run(1, tmp.resolve("a"));
        Run b = run(1, tmp.resolve("b"));
        Run c = run(2, tmp.resolve("c"));
        assertEquals(a.report(), b.report());
        assertTrue(a.pcap().length > 24 + 16 * 10, "the capture holds the run's packets");
        assertArrayEquals(a.pcap(), b.pcap());
        assertEquals(a.ipLink(), b.ipLink());
        String macA = a.ipLink().replaceAll("(?s).*link/ether (\\S+).*", "$1");
        String macC = c.ipLink().replaceAll("(?s).*link/ether (\\S+).*", "$1");
        assertNotEquals(macA, macC);
        assertTrue(macA.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), macA);
    }

    @Test
    void tsharkDecodesTheMergedCapture(@TempDir Path tmp) throws Exception {
        Path tshark = Path.of("/usr/bin/tshark");
        Assumptions.assumeTrue(Files.isExecutable(tshark), "tshark is not installed (.ci/run installs it)");
        run(1, tmp);
        Process p = new ProcessBuilder(tshark.toString(), "-r", tmp.resolve("simnet-all.pcap").toString(), "-Y",
                "dns.qry.name == nginx_b", "-T", "fields", "-e", "dns.flags.response", "-e", "ip.src", "-e", "udp.srcport", "-e",
                "ip.dst", "-e", "udp.dstport").start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        // as tcpdump on a container's lo shows it: the query leaves after the nat OUTPUT DNAT (to the
        // resolver's random port), the answer after the POSTROUTING SNAT (from port 53)
        assertTrue(java.util.regex.Pattern.compile("(?m)^(False|0)\\t127\\.0\\.0\\.1\\t\\d+\\t127\\.0\\.0\\.11\\t(?!53\\t)\\d+$")
                .matcher(out).find(), out);
        assertTrue(java.util.regex.Pattern.compile("(?m)^(True|1)\\t127\\.0\\.0\\.11\\t53\\t127\\.0\\.0\\.1\\t\\d+$").matcher(out).find(), out);
        Process q = new ProcessBuilder(tshark.toString(), "-r", tmp.resolve("simnet-all.pcap").toString(), "-Y", "http.response.code == 200")
                .redirectErrorStream(true).start();
        String http = new String(q.getInputStream().readAllBytes());
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        assertTrue(http.contains("HTTP/1.1 200 OK"), http);
    }
}
