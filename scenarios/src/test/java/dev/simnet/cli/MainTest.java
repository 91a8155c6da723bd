package dev.simnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.scenarios.docker.Json;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.steps.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    static final String ARTICLE = "examples/article-default/compose.yaml";

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @AfterEach
    void reset() {
        Main.engineOverride = null;
    }

    static void oneLineError(Result r, String expected) {
        assertEquals(2, r.code());
        assertEquals(expected + "\n", r.err().replace(System.lineSeparator(), "\n"));
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void version() {
        Result r = run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith(Main.VERSION));
        assertEquals(0, run("--version").code());
    }

    @Test
    void helpAndUsage() {
        Result r = run();
        assertEquals(2, r.code());
        assertTrue(r.out().contains("Usage: simnet"));
        assertTrue(r.out().contains("inspect"));
        Result h = run("run", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--seed"));
        Result bad = run("inspect", "--bogus", ARTICLE);
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("simnet: Unknown option: '--bogus'"), bad.err());
    }

    @Test
    void inspectShowsThePlan() {
        Result r = run("inspect", ARTICLE);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("linuxnetworks_default  br-"), r.out());
        assertTrue(r.out().contains("172.18.0.3/16"));
        assertTrue(r.out().contains("0.0.0.0:8080 -> linuxnetworks-nginx_a-1 (172.18.0.2):80/tcp"));
        assertTrue(r.out().matches("(?s).*\n    nginx_b +172\\.18\\.0\\.3\n.*"), r.out());
        // the Docker host's rules: masquerade for the network, DNAT for the published port
        assertTrue(r.out().contains("  -A POSTROUTING -s 172.18.0.0/16 ! -o br-"), r.out());
        assertTrue(r.out().matches("(?s).*\n  -A DOCKER [^\n]*--dport 8080 -j DNAT --to-destination 172\\.18\\.0\\.2:80\n.*"), r.out());
        Result j = run("inspect", "--json", "--seed", "5", ARTICLE);
        assertEquals(0, j.code());
        Object data = Json.parse(j.out());
        assertEquals("172.18.0.2", Json.path(data, "containers[0].endpoints[0].address"));
        assertEquals(5L, Json.path(data, "seed"));
        assertEquals(java.util.List.of("172.18.0.3"), Json.path(data, "dns.linuxnetworks_default.nginx_b"));
    }

    @Test
    void badFilesGiveOneLineErrors(@TempDir Path dir) throws Exception {
        oneLineError(run("inspect", dir.resolve("nope.yaml").toString()), "simnet: " + dir.resolve("nope.yaml") + ": no such file");
        Path bad = dir.resolve("compose.yaml");
        Files.writeString(bad, "services:\n  web:\n    image: nginx\n   ports: []\n");
        oneLineError(run("run", bad.toString()), "simnet: " + bad + ":4:4: invalid YAML: while parsing a block mapping: "
                + "expected <block end>, but found '<block mapping start>'"
                + " — this line is indented differently from the keys before it (YAML nests by indentation)");
        Files.writeString(bad, "services:\n  a: {image: nginx}\n  b:\n    image: nginx\n    network_mode: service:nginx_a\n");
        oneLineError(run("inspect", bad.toString()), "simnet: " + bad
                + ":5:19: services.b.network_mode: network_mode refers to unknown service \"nginx_a\" (services: a, b)");
        Files.writeString(bad, "services:\n  a: {image: nginx, ports: ['8080:80']}\n  b: {image: httpd, ports: ['8080:80']}\n");
        oneLineError(run("exec", "--host", bad.toString(), "--", "docker", "ps"), "simnet: " + bad
                + ":3:29: services.b.ports[0]: host port 0.0.0.0:8080/tcp of b is already published by a");
    }

    @Test
    void runExecAndTraceUseTheSimulator() {
        Result r = run("run", "--ascii", ARTICLE);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(java.util.regex.Pattern.compile("PASSED: (\\d+)/\\1 steps ok").matcher(r.out()).find(), r.out());
        oneLineError(run("run", "--backend", "qemu", ARTICLE), "simnet: unknown backend \"qemu\" (expected sim, linux or tap)");
        Result e = run("exec", ARTICLE, "nginx_a", "--", "curl", "-s", "nginx_b");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("<h1>Welcome to nginx!</h1>"), e.out());
        Result refused = run("exec", ARTICLE, "nginx_a", "--", "curl", "-sS", "nginx_b:81");
        assertEquals(7, refused.code());
        assertTrue(refused.err().startsWith("curl: (7) Failed to connect to nginx_b port 81 after "), refused.err());
        Result t = run("trace", ARTICLE, "nginx_a", "--", "curl", "-s", "-o", "/dev/null", "nginx_b");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("dns: embedded resolver got query"), t.out());
        assertTrue(t.out().contains("Flags [S]"), t.out());
    }

    @Test
    void dockerOnTheHostWorksWithoutAnEngine() {
        Result r = run("exec", "--host", ARTICLE, "--", "docker", "network", "ls");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("NETWORK ID     NAME                    DRIVER    SCOPE\n"), r.out());
        Result i = run("exec", "--host", ARTICLE, "--", "docker", "inspect", "linuxnetworks-nginx_b-1", "-f",
                "{{.NetworkSettings.Networks.linuxnetworks_default.IPAddress}}");
        assertEquals("172.18.0.3\n", i.out());
        Result missing = run("exec", "--host", ARTICLE, "--", "docker", "network", "inspect", "nope");
        assertEquals(1, missing.code());
        assertEquals("Error response from daemon: network nope not found\n", missing.err());
    }

    @Test
    void execPassesTheExitCodeThrough() {
        FakeEngine engine = new FakeEngine((t, argv) -> new ExecResult(3, "out of " + t + "\n", "err\n"));
        Main.engineOverride = (backend, seed) -> engine;
        Result r = run("exec", "--index", "1", ARTICLE, "nginx_a", "--", "curl", "-s", "nginx_b");
        assertEquals(3, r.code());
        assertEquals("out of linuxnetworks-nginx_a-1\n", r.out());
        assertEquals("err\n", r.err());
        assertTrue(engine.closed);
        Result noSeparator = run("exec", ARTICLE, "nginx_b", "curl", "-s", "--max-time", "1", "x");
        assertEquals(3, noSeparator.code(), noSeparator.err());
        assertTrue(engine.calls.contains("exec linuxnetworks-nginx_b-1 curl -s --max-time 1 x"), engine.calls.toString());
        oneLineError(run("exec", ARTICLE, "nope", "--", "ls"), "simnet: no such service: nope (services: nginx_a, nginx_b)");
        oneLineError(run("exec", ARTICLE, "nginx_a"), "simnet: missing command (usage: simnet exec FILE SERVICE -- CMD [ARGS…])");
    }

    @Test
    void runReportsAndExitCodes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("compose.yaml");
        Files.writeString(f, "name: demo\nservices:\n  web: {image: nginx}\nx-simnet:\n  steps:\n"
                + "    - exec: {host: true, cmd: \"docker inspect demo-web-1 -f '{{.Name}}'\"}\n      expect: {equals: /demo-web-1}\n"
                + "    - exec: {service: web, cmd: hostname}\n      expect: {exit: 0}\n    - sleep: 3s\n");
        Main.engineOverride = (backend, seed) -> new FakeEngine((t, argv) -> ExecResult.ok("x\n"));
        Result ok = run("run", "--ascii", f.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("[1/3] host: docker inspect demo-web-1 -f '{{.Name}}'"), ok.out());
        assertTrue(ok.out().contains("  | /demo-web-1\n"), ok.out());
        assertTrue(ok.out().contains("OK PASSED: 3/3 steps ok, 2/2 expectations held (virtual time 3.001s)"), ok.out());
        Main.engineOverride = (backend, seed) -> new FakeEngine((t, argv) -> ExecResult.fail(1, "boom\n"));
        Result failed = run("run", "--json", f.toString());
        assertEquals(1, failed.code());
        Object report = Json.parse(failed.out());
        assertEquals(Boolean.FALSE, Json.path(report, "passed"));
        assertEquals("exit was 1", Json.path(report, "steps[1].expectations[0].detail"));
        assertEquals(9L, Json.path(report, "steps[1].expectations[0].line"));
    }

    @Test
    void down() {
        Result r = run("down", "--all");
        assertEquals(0, r.code());
        assertEquals(2, run("down").code(), "--all is required");
    }
}
