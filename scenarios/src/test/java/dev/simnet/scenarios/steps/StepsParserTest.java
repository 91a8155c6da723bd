package dev.simnet.scenarios.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.scenarios.compose.ComposeException;
import dev.simnet.scenarios.compose.ComposeFile;
import dev.simnet.scenarios.compose.ComposeParser;
import dev.simnet.scenarios.docker.ControlPlane;
import dev.simnet.scenarios.docker.DockerOptions;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.Durations;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.Impairment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepsParserTest {
    static final String SERVICES = "name: t\nservices:\n  a: {image: nginx}\n  b: {image: nginx, networks: [default, back]}\n"
            + "networks: {back: {}}\n";

    static ComposeFile compose(String yaml) {
        return ComposeParser.parse(yaml, "compose.yaml", Path.of("/tmp/t"), ComposeParser.Options.defaults());
    }

    static SimnetSpec spec(String xsimnet) {
        return StepsParser.parse(compose(SERVICES + "x-simnet:\n" + xsimnet), null);
    }

    static String error(String xsimnet) {
        return assertThrows(ComposeException.class, () -> spec(xsimnet)).getMessage();
    }

    @Test
    void fullBlock() {
        SimnetSpec s = spec(String.join("\n",
                "  seed: 42",
                "  userland-proxy: false",
                "  mac-scheme: legacy",
                "  impairments:",
                "    - {service: b, network: back, delay: 20ms, jitter: 5ms, loss: 5%, rate: 10mbit}",
                "    - {link: uplink, loss: 0.5%}",
                "  steps:",
                "    - name: curl",
                "      exec: {service: a, cmd: \"curl -s 'b'\"}",
                "      expect:",
                "        exit: 0",
                "        contains: [Welcome, nginx]",
                "        not_contains: error",
                "        regex: '^<!DOCTYPE'",
                "        json: {path: '$[0].Name', equals: x}",
                "    - exec: {host: true, cmd: [docker, network, ls]}",
                "    - exec: {internet: true, cmd: dig example.com}",
                "    - exec: {service: b, replica: 1, cmd: hostname}",
                "      expect: {equals: \"\"}",
                "    - sleep: 1m30s",
                "    - stop: a",
                "    - start: {service: a}",
                "    - connect: {service: a, network: back, aliases: [x], ipv4_address: 172.19.0.50}",
                "    - disconnect: {service: a, network: t_back}",
                "    - impair: {service: a, loss: 100%}",
                "    - impair: {service: a, clear: true}"));
        assertEquals(42L, s.seed());
        assertEquals(false, s.userlandProxy());
        assertEquals(DockerOptions.MacScheme.LEGACY_0242, s.macScheme());
        Impairment i = s.impairments().get(0);
        assertEquals(20_000_000L, i.delayNanos());
        assertEquals(5_000_000L, i.jitterNanos());
        assertEquals(5.0, i.lossPercent());
        assertEquals(10_000_000L, i.rateBitsPerSecond());
        assertEquals("t_back", i.network());
        assertEquals("delay 20ms 5ms loss 5% rate 10Mbit", i.describe());
        assertTrue(s.impairments().get(1).uplink());
        assertEquals(11, s.steps().size());
        Step.Exec e = (Step.Exec) s.steps().get(0);
        assertEquals(List.of("curl", "-s", "b"), e.argv());
        assertEquals(Step.TargetKind.SERVICE, e.targetKind());
        assertEquals(6, e.expect().size());
        assertEquals(Expectation.Kind.JSON, e.expect().get(5).kind());
        assertEquals(Step.TargetKind.HOST, ((Step.Exec) s.steps().get(1)).targetKind());
        assertEquals(Step.TargetKind.INTERNET, ((Step.Exec) s.steps().get(2)).targetKind());
        assertEquals(90_000_000_000L, ((Step.Sleep) s.steps().get(4)).nanos());
        Step.Connect c = (Step.Connect) s.steps().get(7);
        assertEquals("t_back", c.network());
        assertEquals("172.19.0.50", c.ipv4Address());
        assertEquals("t_back", ((Step.Disconnect) s.steps().get(8)).network());
        assertTrue(((Step.Impair) s.steps().get(10)).impairment().clear());
        DockerOptions o = s.options(DockerOptions.defaults(), null);
        assertEquals(42L, o.seed());
        assertFalse(o.userlandProxy());
        assertEquals(7L, s.options(DockerOptions.defaults(), 7L).seed());
    }

    @Test
    void malformedSteps() {
        assertEquals("compose.yaml:8:23: x-simnet.steps[0].exec.service: unknown service \"zz\" (services: a, b)",
                error("  steps:\n    - exec: {service: zz, cmd: ls}"));
        assertEquals("compose.yaml:8:14: x-simnet.steps[0].sleep: expected a duration like \"5s\", \"250ms\" or \"1m30s\", got \"5 parsecs\"",
                error("  steps:\n    - sleep: 5 parsecs"));
        assertEquals("compose.yaml:8:7: x-simnet.steps[0]: a step needs one of exec, sleep, stop, start, connect, disconnect, impair",
                error("  steps:\n    - name: nothing"));
        assertEquals("compose.yaml:8:37: x-simnet.steps[0].sleep: a step does one thing; found both 'exec' and 'sleep'",
                error("  steps:\n    - {exec: {host: true, cmd: ls}, sleep: 1s}"));
        assertEquals("compose.yaml:8:13: x-simnet.steps[0].exec: exec needs 'cmd:' (a string or a list)",
                error("  steps:\n    - exec: {service: a}"));
        assertEquals("compose.yaml:9:22: x-simnet.steps[0].expect.exit: expected an exit code between 0 and 255, got 300",
                error("  steps:\n    - exec: {service: a, cmd: ls}\n      expect: {exit: 300}"));
        assertEquals("compose.yaml:9:23: x-simnet.steps[0].expect.regex: invalid regular expression: Unclosed group",
                error("  steps:\n    - exec: {service: a, cmd: ls}\n      expect: {regex: '(a'}"));
        assertEquals("compose.yaml:8:38: x-simnet.steps[0].connect.network: unknown network \"nope\" (networks used by this project: back, default)",
                error("  steps:\n    - connect: {service: a, network: nope}"));
        assertEquals("compose.yaml:8:26: x-simnet.impairments[0].loss: percentage must be between 0% and 100%, got \"150%\"",
                error("  impairments:\n    - {service: a, loss: 150%}"));
        assertEquals("compose.yaml:8:26: x-simnet.impairments[0].rate: unknown rate unit in \"10 furlongs\" (expected bit, kbit, mbit, gbit, or bps/kbps/mbps for bytes)",
                error("  impairments:\n    - {service: a, rate: 10 furlongs}"));
        assertEquals("compose.yaml:8:7: x-simnet.impairments[0]: an impairment needs either service: (with optional network:) or link: uplink",
                error("  impairments:\n    - {loss: 1%}"));
        assertEquals("compose.yaml:8:29: x-simnet.impairments[0].network: service \"a\" is not attached to network \"t_back\"",
                error("  impairments:\n    - {service: a, network: back, loss: 1%}"));
        assertEquals("compose.yaml:7:3: x-simnet.sed: unknown x-simnet key (expected seed, userland-proxy, mac-scheme, impairments, steps, description)",
                error("  sed: 1"));
        assertEquals("compose.yaml:9:7: x-simnet.steps[0].expect: 'expect' only applies to exec steps",
                error("  steps:\n    - sleep: 1s\n      expect: {exit: 0}"));
        assertEquals("compose.yaml:8:31: x-simnet.steps[0].exec.cmd: unterminated single quote in command \"echo 'hi\"",
                error("  steps:\n    - exec: {host: true, cmd: \"echo 'hi\"}"));
    }

    @Test
    void separateFileNextToTheComposeFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("docker-compose.yaml");
        Files.writeString(file, "services: {a: {image: nginx}}\n");
        Files.writeString(dir.resolve("docker-compose.simnet.yaml"), "seed: 9\nsteps:\n  - exec: {service: a, cmd: ls}\n");
        ComposeFile f = ComposeParser.parseFile(file, ComposeParser.Options.defaults());
        SimnetSpec s = StepsParser.parse(f, file);
        assertEquals(9L, s.seed());
        assertEquals(1, s.steps().size());
        Files.writeString(dir.resolve("docker-compose.simnet.yaml"), "steps:\n  - exec: {service: nope, cmd: ls}\n");
        String msg = assertThrows(ComposeException.class, () -> StepsParser.parse(f, file)).getMessage();
        assertTrue(msg.endsWith("docker-compose.simnet.yaml:2:21: steps[0].exec.service: unknown service \"nope\" (services: a)"), msg);
        Files.writeString(file, "services: {a: {image: nginx}}\nx-simnet: {seed: 1}\n");
        ComposeFile both = ComposeParser.parseFile(file, ComposeParser.Options.defaults());
        assertTrue(assertThrows(ComposeException.class, () -> StepsParser.parse(both, file)).getMessage()
                .contains("steps are defined both here and in"));
    }

    @Test
    void durationsRatesPercents() {
        assertEquals(1_500_000_000L, Durations.parse("1.5s"));
        assertEquals(90_000_000_000L, Durations.parse("1m30s"));
        assertEquals(250_000L, Durations.parse("250us"));
        assertEquals("1.5s", Durations.format(1_500_000_000L));
        assertEquals("20ms", Durations.format(20_000_000L));
        assertEquals(8_000_000L, Durations.parseRate("1mbps"));
        assertEquals(512_000L, Durations.parseRate("512kbit"));
        assertEquals(0.5, Durations.parsePercent("0.5%"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 weeks"));
    }

    @Test
    void expectationsCheck() {
        ExecResult r = new ExecResult(0, "[{\"Name\": \"x\", \"N\": 3, \"Ok\": true, \"M\": {}}]\n", "warn\n");
        var loc = new dev.simnet.scenarios.compose.Location("f", 1, 1, "");
        assertTrue(new Expectation(Expectation.Kind.EXIT, null, "0", loc).check(r).ok());
        assertFalse(new Expectation(Expectation.Kind.EXIT, null, "1", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.CONTAINS, null, "\"Name\"", loc).check(r).ok());
        assertFalse(new Expectation(Expectation.Kind.NOT_CONTAINS, null, "Name", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.REGEX, null, "^\\[\\{", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.STDERR_CONTAINS, null, "warn", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.JSON, "$[0].Name", "x", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.JSON, "$[0].N", "3", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.JSON, "[0].Ok", "true", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.JSON, "$[0].M", "{}", loc).check(r).ok());
        assertEquals("path $[0].Q not found", new Expectation(Expectation.Kind.JSON, "$[0].Q", "x", loc).check(r).detail());
        assertFalse(new Expectation(Expectation.Kind.EQUALS, null, "x", loc).check(r).ok());
        assertTrue(new Expectation(Expectation.Kind.EQUALS, null, "a", loc).check(new ExecResult(0, "a\n", "")).ok());
    }

    @Test
    void runnerDrivesTheEngineAndChecksExpectations() {
        ComposeFile f = compose(SERVICES + "x-simnet:\n  impairments: [{service: b, loss: 1%}]\n  steps:\n"
                + "    - exec: {service: a, cmd: echo hi}\n      expect: {exit: 0, contains: hi}\n"
                + "    - exec: {host: true, cmd: \"docker inspect t-a-1 -f '{{.NetworkSettings.Networks.t_default.IPAddress}}'\"}\n"
                + "      expect: {equals: 172.19.0.2}\n"
                + "    - sleep: 2s\n    - stop: b\n"
                + "    - exec: {service: b, cmd: ls}\n      expect: {stderr_contains: 'service \"b\" is not running'}\n"
                + "    - start: b\n    - connect: {service: a, network: back}\n    - disconnect: {service: a, network: back}\n"
                + "    - exec: {service: a, cmd: false}\n      expect: {exit: 0}\n");
        SimnetSpec s = StepsParser.parse(f, null);
        DockerProject p = ControlPlane.build(f, s.options(DockerOptions.defaults(), null));
        FakeEngine engine = new FakeEngine((t, argv) -> argv.get(0).equals("echo")
                ? ExecResult.ok(String.join(" ", argv.subList(1, argv.size())) + "\n") : ExecResult.fail(1, ""));
        ScenarioRunner.Report r = ScenarioRunner.run(p, s, engine, "fake", null);
        assertEquals(List.of("build t", "impair b loss 1%", "exec t-a-1 echo hi", "advance 2000000000",
                "stop t-b-1 0", "start t-b-1 172.18.0.2", "connect t-a-1 t_back 172.18.0.3 eth1", "disconnect t-a-1 t_back",
                "exec t-a-1 false"), engine.calls);
        assertFalse(r.passed());
        assertEquals(1, r.failures());
        assertTrue(r.steps().subList(0, 8).stream().allMatch(ScenarioRunner.StepResult::ok));
        String text = new ReportPrinter(false).text(r, engine.now());
        assertTrue(text.contains("✓ contains \"hi\""), text);
        assertTrue(text.contains("✗ exit 0  — exit was 1  (compose.yaml:"), text);
        assertTrue(text.contains("✗ FAILED: 8/9 steps ok, 4/5 expectations held, 1 failure"), text);
        String json = ReportPrinter.json(r, engine.now());
        assertEquals(Boolean.FALSE, dev.simnet.scenarios.docker.Json.path(dev.simnet.scenarios.docker.Json.parse(json), "passed"));
        assertEquals("172.19.0.2\n", dev.simnet.scenarios.docker.Json.path(dev.simnet.scenarios.docker.Json.parse(json), "steps[1].stdout"));
    }

    private static final String PER_BACKEND = String.join("\n",
            "  steps:",
            "    - exec: {service: a, cmd: ip link}",
            "      expect: {exit: 0, contains: [\"eth0@if\", \"link-netnsid 0\"]}",
            "      expect_on:",
            "        tap:",
            "          because: eth0 is a TAP device",
            "          expect: {exit: 0, not_contains: link-netnsid}",
            "        linux: {because: nothing to check on the kernel}",
            "");

    @Test
    void expectOnReplacesTheExpectationsOnOneBackend() {
        Step.Exec e = (Step.Exec) spec(PER_BACKEND).steps().get(0);
        assertEquals(3, e.expect().size());
        assertEquals(e.expect(), e.expectationsFor("sim"));
        assertEquals(List.of(Expectation.Kind.EXIT, Expectation.Kind.NOT_CONTAINS),
                e.expectationsFor("tap").stream().map(Expectation::kind).toList());
        assertEquals("eth0 is a TAP device", e.overrideFor("tap").because());
        assertEquals(List.of(), e.expectationsFor("linux"));
        assertEquals(null, e.overrideFor("sim"));
        assertEquals(11, e.overrideFor("tap").location().line(), "the tap key");
    }

    @Test
    void expectOnErrorsPointAtTheirPlace() {
        String bad = error("  steps:\n    - exec: {service: a, cmd: ip link}\n      expect_on:\n        tapp: {because: x}\n");
        assertTrue(bad.startsWith("compose.yaml:10:9:"), bad);
        assertTrue(bad.contains("unknown backend \"tapp\" (expected one of sim, linux, tap)"), bad);
        String noReason = error("  steps:\n    - exec: {service: a, cmd: ip link}\n      expect_on:\n        tap: {expect: {exit: 0}}\n");
        assertTrue(noReason.startsWith("compose.yaml:10:"), noReason);
        assertTrue(noReason.contains("needs because"), noReason);
        String emptyReason = error("  steps:\n    - exec: {service: a, cmd: ip link}\n      expect_on:\n        tap: {because: ''}\n");
        assertTrue(emptyReason.contains("'because' must say why tap differs"), emptyReason);
        String key = error("  steps:\n    - exec: {service: a, cmd: ip link}\n      expect_on:\n        tap: {because: x, expected: {}}\n");
        assertTrue(key.contains("unknown expect_on key (expected because, expect)"), key);
        String notExec = error("  steps:\n    - sleep: 1s\n      expect_on: {tap: {because: x}}\n");
        assertTrue(notExec.contains("'expect_on' only applies to exec steps"), notExec);
        String notMap = error("  steps:\n    - exec: {service: a, cmd: ip link}\n      expect_on: [tap]\n");
        assertTrue(notMap.startsWith("compose.yaml:9:18:"), notMap);
    }

    @Test
    void theReportSaysWhatAnotherBackendChecksAndWhy() {
        ComposeFile f = compose(SERVICES + "x-simnet:\n" + PER_BACKEND);
        SimnetSpec s = StepsParser.parse(f, null);
        DockerProject p = ControlPlane.build(f, s.options(DockerOptions.defaults(), null));
        FakeEngine engine = new FakeEngine((t, argv) -> ExecResult.ok("2: eth0: <UP>\n    link/ether 02:42:ac:12:00:02\n"));
        ScenarioRunner.Report tap = ScenarioRunner.run(p, s, engine, "tap", null);
        assertTrue(tap.passed());
        assertEquals(2, tap.expectations());
        String text = new ReportPrinter(true).text(tap, 0);
        assertTrue(text.contains("SKIP on tap: eth0 is a TAP device  (compose.yaml:11:9)"), text);
        assertTrue(text.contains("SKIP not checked on tap: contains \"eth0@if\""), text);
        assertTrue(text.contains("SKIP not checked on tap: contains \"link-netnsid 0\""), text);
        assertTrue(text.contains("OK does not contain \"link-netnsid\""), text);
        Object json = dev.simnet.scenarios.docker.Json.parse(ReportPrinter.json(tap, 0));
        assertEquals("eth0 is a TAP device", dev.simnet.scenarios.docker.Json.path(json, "steps[0].expectOn.because"));
        assertEquals("contains \"eth0@if\"", dev.simnet.scenarios.docker.Json.path(json, "steps[0].expectOn.notChecked[1]"));
        // on the kernel: nothing replaces them, and the report says so
        String linux = new ReportPrinter(true).text(ScenarioRunner.run(p, s, new FakeEngine((t, argv) -> ExecResult.ok("")), "linux", null), 0);
        assertTrue(linux.contains("SKIP nothing checked instead"), linux);
        // elsewhere the step's own expectations apply
        ScenarioRunner.Report sim = ScenarioRunner.run(p, s, new FakeEngine((t, argv) -> ExecResult.ok("2: eth0: <UP>\n")), "sim", null);
        assertFalse(sim.passed());
        assertEquals(3, sim.expectations());
        assertFalse(new ReportPrinter(true).text(sim, 0).contains("SKIP"));
    }
}
