package dev.simnet.scenarios.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simnet.cli.Loaded;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.TopologyPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator's rule listings judged by the kernel: the same example is built on the simulator and
 * on real namespaces (whose Docker host loads the rules with iptables-restore, i.e. iptables-nft as on
 * a Docker 29 host), and {@code iptables-save}, {@code iptables -S}, {@code iptables -L -n -v},
 * {@code nft list ruleset} and friends on the host (errors included), and {@code iptables-save} and
 * {@code iptables -t nat -L -n -v} in a container (the embedded-DNS rules), must print the same text. Normalised: only iptables-save's comment lines (version and date),
 * counters, and the embedded DNS's real port numbers (random on each side).
 */
class RuleSetDifferentialTest {
    private static final Pattern SAVE_COUNTER = Pattern.compile("\\[\\d+:\\d+\\]");
    private static final Pattern NFT_COUNTER = Pattern.compile("counter packets \\d+ bytes \\d+");
    private static final Pattern DNS_PORT = Pattern.compile("(127\\.0\\.0\\.11:|--sport |sport |spt:)(\\d+)");
    private static final Pattern LIST_COUNTERS = Pattern.compile("^ *\\d+[KMGT]? +\\d+[KMGT]? ");
    private static final Pattern POLICY_COUNTERS = Pattern.compile("\\d+ packets, \\d+ bytes\\)");

    /** Host commands compared; container commands run in the example's first container. */
    private static final List<String> HOST_COMMANDS = List.of("iptables-save", "iptables -S", "iptables -t nat -S",
            "iptables -t nat -S DOCKER", "iptables -t raw -S", "nft list ruleset", "iptables -L -n -v", "iptables -t nat -nvL",
            "iptables -t nat -L DOCKER -n", "iptables -t raw -L -n --line-numbers", "iptables -L NOPE -n", "iptables -t foo -S");

    static String normalise(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("# ")) {
                continue;
            }
            String l = SAVE_COUNTER.matcher(line).replaceAll("[0:0]");
            l = NFT_COUNTER.matcher(l).replaceAll("counter packets 0 bytes 0");
            l = LIST_COUNTERS.matcher(l).replaceAll("    0     0 ");
            l = POLICY_COUNTERS.matcher(l).replaceAll("0 packets, 0 bytes)");
            if (l.contains("127.0.0.11")) {
                Matcher m = DNS_PORT.matcher(l);
                StringBuilder b = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + (m.group(2).equals("53") ? "53" : "PORT")));
                }
                m.appendTail(b);
                l = b.toString();
            }
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    static Map<String, String> observe(ScenarioEngine e, TopologyPlan plan) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String cmd : HOST_COMMANDS) {
            ExecResult r = e.exec(ExecTarget.host(), List.of(cmd.split(" ")));
            out.put("host: " + cmd, "exit " + r.exit() + "\n" + normalise(r.stdout()) + "stderr: " + r.stderr());
        }
        for (ContainerPlan c : plan.containers()) {
            if (c.ownsNamespace() && !c.endpoints().isEmpty()) {
                for (String cmd : List.of("iptables-save", "iptables -t nat -L -n -v")) {
                    ExecResult r = e.exec(ExecTarget.container(c.name()), List.of(cmd.split(" ")));
                    out.put("container: " + cmd, "exit " + r.exit() + "\n" + normalise(r.stdout()));
                }
                break;
            }
        }
        return out;
    }

    static void assertSameListings(Map<String, String> sim, Map<String, String> linux, String what) {
        assertEquals(sim.keySet(), linux.keySet());
        StringBuilder diff = new StringBuilder();
        for (String k : sim.keySet()) {
            if (!sim.get(k).equals(linux.get(k))) {
                diff.append("== ").append(k).append("\n--- sim\n").append(sim.get(k)).append("--- linux\n").append(linux.get(k));
            }
        }
        if (diff.length() > 0) {
            fail(what + ": the simulator's rule listings differ from the kernel's\n" + diff);
        }
    }

    static ScenarioEngine engine(String backend, TopologyPlan plan) {
        ScenarioEngine e = ScenarioEngineProvider.find(backend).orElseThrow().create(plan.seed());
        e.build(plan);
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"article-default", "internal", "no-userland-proxy", "published-ports"})
    void ruleListingsOnTheSimulatorAreTheKernels(String example) {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        TopologyPlan plan = Loaded.load(DifferentialTest.examplesDir().resolve(example).resolve("compose.yaml"), null, null)
                .project().plan();
        Map<String, String> sim;
        try (ScenarioEngine e = engine("sim", plan)) {
            sim = observe(e, plan);
        }
        Map<String, String> linux;
        try (ScenarioEngine e = engine("linux", plan)) {
            linux = observe(e, plan);
        }
        assertTrue(sim.get("host: iptables -t nat -S DOCKER").startsWith("exit 0\n-N DOCKER\n"), sim.toString());
        assertSameListings(sim, linux, example);
    }

    /**
     * A published container disconnected and connected again: both backends reload Docker's rules for
     * the new plan (its DNAT and raw rules go and come back), and the kernel keeps the counters of the
     * rules that stayed, as Docker's incremental iptables calls do.
     */
    @Test
    void rulesFollowDisconnectAndConnectAndKeepTheirCounters() {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        Path file = DifferentialTest.examplesDir().resolve("no-userland-proxy").resolve("compose.yaml");
        TopologyPlan plan = Loaded.load(file, null, null).project().plan();
        ContainerPlan echo = plan.containers().stream().filter(c -> !c.ports().isEmpty()).findFirst().orElseThrow();
        EndpointPlan ep = echo.endpoints().get(0);
        ContainerPlan without = withEndpoints(echo, List.of());
        try (ScenarioEngine sim = engine("sim", plan); ScenarioEngine linux = engine("linux", plan)) {
            ExecResult curl = linux.exec(ExecTarget.internet(), List.of("curl", "-s", "-m", "10", "http://203.0.113.1:8081/"));
            assertEquals(0, curl.exit(), curl.stderr());
            long forwarded = forwardCounter(linux);
            assertTrue(forwarded > 0, "FORWARD -j DOCKER-USER counted nothing");

            sim.disconnect(without, ep);
            linux.disconnect(without, ep);
            TopologyPlan after = replace(plan, without);
            Map<String, String> simAfter = observe(sim, after);
            assertSameListings(simAfter, observe(linux, after), "after disconnect");
            assertTrue(!simAfter.get("host: iptables -t nat -S DOCKER").contains("--dport 8081"), simAfter.toString());
            assertEquals(forwarded, forwardCounter(linux), "a reload reset the counter of a rule that stayed");

            sim.connect(echo, ep);
            linux.connect(echo, ep);
            Map<String, String> simBack = observe(sim, plan);
            assertSameListings(simBack, observe(linux, plan), "after connect");
            assertTrue(simBack.get("host: iptables -t nat -S DOCKER").contains("--dport 8081 -j DNAT"), simBack.toString());
            assertEquals(forwarded, forwardCounter(linux), "a reload reset the counter of a rule that stayed");
        }
    }

    /**
     * {@code docker stop} of the first container with published ports, then {@code docker start}: after the
     * stop both backends have lost its port mappings (DNAT, filter ACCEPT, raw DROP and, without the
     * userland proxy, hairpin MASQUERADE), after the start they are back — appended after the rules of the
     * containers that kept running, as Docker adds them when the container starts — and the kernel's
     * listings equal the simulator's at each point.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"published-ports", "no-userland-proxy"})
    void rulesFollowStopAndStart(String example) {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
        DockerProject project = Loaded.load(DifferentialTest.examplesDir().resolve(example).resolve("compose.yaml"), null, null)
                .project();
        TopologyPlan plan = project.plan();
        ContainerPlan published = plan.containers().stream().filter(c -> !c.ports().isEmpty()).findFirst().orElseThrow();
        String address = published.endpoints().get(0).address().toString();
        String dport = "--dport " + published.ports().get(0).hostPort() + " ";
        try (ScenarioEngine sim = engine("sim", plan); ScenarioEngine linux = engine("linux", plan)) {
            project.stop(published.name(), sim.now());
            ContainerPlan stopped = project.container(published.name()).orElseThrow();
            sim.stop(stopped);
            linux.stop(stopped);
            Map<String, String> simStopped = observe(sim, project.plan());
            assertSameListings(simStopped, observe(linux, project.plan()), example + " after stop");
            String save = simStopped.get("host: iptables-save");
            assertFalse(save.contains(dport), "the stopped container's DNAT stayed\n" + save);
            assertFalse(save.contains("-d " + address + "/32"), "a rule for the stopped container's address stayed\n" + save);

            project.start(published.name(), sim.now());
            ContainerPlan started = project.container(published.name()).orElseThrow();
            sim.start(started);
            linux.start(started);
            Map<String, String> simStarted = observe(sim, project.plan());
            assertSameListings(simStarted, observe(linux, project.plan()), example + " after start");
            String nat = simStarted.get("host: iptables -t nat -S DOCKER");
            assertTrue(nat.contains(dport), "the started container's DNAT is back\n" + nat);
            for (ContainerPlan other : plan.containers()) {
                if (other != published && !other.ports().isEmpty()) {
                    String od = "--dport " + other.ports().get(0).hostPort() + " ";
                    assertTrue(nat.indexOf(od) < nat.indexOf(dport), "appended after the running containers' DNATs\n" + nat);
                }
            }
        }
    }

    private static long forwardCounter(ScenarioEngine linux) {
        ExecResult save = linux.exec(ExecTarget.host(), List.of("iptables-save", "-c", "-t", "filter"));
        Matcher m = Pattern.compile("(?m)^\\[(\\d+):\\d+\\] -A FORWARD -j DOCKER-USER$").matcher(save.stdout());
        assertTrue(m.find(), save.stdout());
        return Long.parseLong(m.group(1));
    }

    private static ContainerPlan withEndpoints(ContainerPlan c, List<EndpointPlan> eps) {
        return new ContainerPlan(c.name(), c.service(), c.replica(), c.id(), c.hostname(), c.netns(), c.networkMode(), eps,
                c.ports(), c.exposedPorts(), c.dns(), c.extraHosts(), c.links(), c.image(), c.command(), c.extensions());
    }

    private static TopologyPlan replace(TopologyPlan plan, ContainerPlan c) {
        List<ContainerPlan> cs = new ArrayList<>();
        plan.containers().forEach(x -> cs.add(x.name().equals(c.name()) ? c : x));
        return new TopologyPlan(plan.project(), plan.networks(), cs, plan.userlandProxy(), plan.hostUpstreams(), plan.seed());
    }
}
