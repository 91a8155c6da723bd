package dev.simnet.scenarios.engine.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Main;
import dev.simnet.tap.TapBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code simnet exec --backend tap}: commands in a real container namespace run the real tools; on the
 * simulated Docker host, state commands are answered from the engine.
 */
class TapHostCommandsTest {
    private static final Path FILE = Path.of("examples", "replicas", "compose.yaml");

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> a = new ArrayList<>(List.of("exec", "--backend", "tap"));
        a.addAll(List.of(args));
        int code = Main.run(a.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void hostStateComesFromTheEngineAndContainersRunRealTools() {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        String[] route = run("--host", FILE.toString(), "--", "ip", "route");
        assertEquals("0", route[0], route[1] + route[2]);
        assertTrue(route[1].contains("default via 203.0.113.254 dev eth0"), route[1]);
        assertTrue(route[1].matches("(?s).*172\\.\\d+\\.0\\.0/16 dev br-[0-9a-f]{12} proto kernel scope link src 172\\.\\d+\\.0\\.1.*"),
                route[1]);
        String[] rules = run("--host", FILE.toString(), "--", "iptables-save");
        assertEquals("0", rules[0], rules[2]);
        assertTrue(rules[1].contains("-j MASQUERADE"), rules[1]);
        String[] lsns = run("--host", FILE.toString(), "--", "lsns", "-t", "net");
        assertEquals("127", lsns[0]);
        assertTrue(lsns[2].contains("simulated Docker host"), lsns[2]);
        // inside a container: the real iproute2 shows the TAP, born there as eth0
        String[] link = run(FILE.toString(), "web", "--", "ip", "-d", "link", "show", "eth0");
        assertEquals("0", link[0], link[1] + link[2]);
        assertTrue(link[1].contains("eth0:") && link[1].contains("tun type tap"), link[1]);
    }
}
