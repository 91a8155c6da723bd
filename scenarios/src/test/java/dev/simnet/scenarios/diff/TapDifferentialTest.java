package dev.simnet.scenarios.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;
import dev.simnet.topology.TopologyPlan;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TAP backend as the third column: every example observed on the simulator, the kernel and the
 * TAP backend (real container kernels, simnet's datapath in between); any difference fails with a
 * {@code check | sim | linux | tap} table. The host-side checks (nc, curl from the Docker host) are
 * compared too: on TAP they are the simulator's tools run on the engine's loop against real containers.
 */
class TapDifferentialTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.simnet.scenarios.diff.DifferentialTest#examples")
    void exampleBehavesTheSameOnSimulatorKernelAndTap(Path file) {
        ScenarioEngineProvider linux = ScenarioEngineProvider.find("linux").orElseThrow();
        ScenarioEngineProvider tap = ScenarioEngineProvider.find("tap").orElseThrow();
        Assumptions.assumeTrue(linux.unavailabilityCause() == null, linux.unavailabilityCause());
        Assumptions.assumeTrue(tap.unavailabilityCause() == null, tap.unavailabilityCause());
        TopologyPlan plan = Loaded.load(file, null, null).project().plan();
        DifferentialHarness h = new DifferentialHarness(plan);
        int[] compared = {0};
        DifferentialTest.assertSameTwice(file.getParent().getFileName().toString(), () -> {
            Map<String, Map<String, String>> columns = observeAll(h, plan);
            compared[0] = columns.get("sim").size();
            return DifferentialHarness.compare(columns);
        });
        assertTrue(compared[0] > 0, "nothing was compared");
    }

    /** Each backend's observations of {@code plan}, on a fresh build each. */
    private static Map<String, Map<String, String>> observeAll(DifferentialHarness h, TopologyPlan plan) {
        Map<String, Map<String, String>> columns = new LinkedHashMap<>();
        for (String backend : new String[] {"sim", "linux", "tap"}) {
            try (ScenarioEngine e = ScenarioEngineProvider.find(backend).orElseThrow().create(plan.seed())) {
                e.build(plan);
                columns.put(backend, h.observe(e, !backend.equals("sim")));
            }
        }
        // a TAP device is not a veth: no peer ifindex, its own qdisc (pfifo_fast) and operstate (UNKNOWN)
        for (Map<String, String> m : columns.values()) {
            m.replaceAll((k, v) -> k.startsWith("ip addr ") ? v.replaceAll("(?m)^(N: (?!lo:)\\S+?)(@ifN)?: (.*) qdisc \\S+ (master \\S+ )?state \\S+ ",
                    "$1: $3 qdisc * $4state * ") : v);
        }
        // and its txqueuelen stays the kernel's 1000: Docker's 0 would leave pfifo_fast no ring (the qdisc
        // refuses a zero length, and the device would drop everything it sends)
        columns.get("tap").replaceAll((k, v) -> k.startsWith("ip addr ") && !k.equals("ip addr host") && !k.equals("ip addr internet")
                ? v.replaceAll("(?m)^(N: eth\\d+: .* group default) qlen 1000$", "$1") : v);
        return columns;
    }
}
